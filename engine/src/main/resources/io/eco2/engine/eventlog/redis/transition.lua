-- One state transition of a job (CONTRACT §4), atomically: check the job's position, store the result,
-- append the transition's events, publish them.
--
-- KEYS[1] events stream   KEYS[2] state key   KEYS[3] result key   KEYS[4] the sorted set of active jobs (the
--   watchdog's: member job id, score the epoch ms from which it is watched)   KEYS[5..] keys that live as long
--   as the events (owner, cancel request, input): their TTL is refreshed with the stream's
-- ARGV[1] expected number of events in the stream   ARGV[2] ttl ms   ARGV[3] job id   ARGV[4] channel
-- ARGV[5] result JSON text or "" (stored before the events)   ARGV[6] submitted-at epoch ms (0 = unknown)
-- ARGV[7] number of events n, then per event: dedup key, stage, status, progress, result JSON text or ""
--
-- Returns {'ok', ts, id1, seq1, id2, seq2, ...} (ts shared by the transition's events), or, when the stream
-- does not hold ARGV[1] events (a redelivery, a twin, a stale message), {'conflict', <whole stream>} and
-- changes nothing: the caller resolves it from the history.
--
-- A job enters the active set with its first transition (ZADD, watched from then) and leaves it with its
-- terminal one (ZREM): two commands per job, not one per transition; the watchdog moves a job's score itself
-- when it looks at it (see Watchdog).
--
-- Commands on the common path: XLEN, TIME; XADD and PUBLISH per event; one SET of the state key; PEXPIRE of the
-- stream only when the stream is new, when the job ends, or once the job is older than half the TTL. XADD
-- keeps a key's TTL, so until then the stream still expires ttl after its first event, at least ttl/2 after
-- any event; the last event always leaves it a full ttl. The event JSON (state key, notification) is built
-- by concatenation with the result JSON embedded raw: cjson would turn an empty array into an object.

local function str(s)
  return cjson.encode(s)
end

local function json_or_null(text)
  if text == nil or text == '' or text == 'null' then
    return 'null'
  end
  return text
end

local seq = redis.call('XLEN', KEYS[1])
if seq ~= tonumber(ARGV[1]) then
  return {'conflict', redis.call('XRANGE', KEYS[1], '-', '+')}
end

local ttl = tonumber(ARGV[2])
if ARGV[5] ~= '' then
  redis.call('SET', KEYS[3], ARGV[5], 'PX', ttl)
end

local t = redis.call('TIME')
local ts = string.format('%d', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
local reply = {'ok', ts}
local n = tonumber(ARGV[7])
local event, terminal
for i = 0, n - 1 do
  local b = 8 + i * 5
  local stage, status, progress, result = ARGV[b + 1], ARGV[b + 2], ARGV[b + 3], ARGV[b + 4]
  local id = redis.call('XADD', KEYS[1], '*', 'stage', stage, 'status', status, 'seq', tostring(seq),
    'ts', ts, 'progress', progress, 'result', result, 'dedup', ARGV[b])
  event = '{"id":' .. str(id) .. ',"job_id":' .. str(ARGV[3]) .. ',"stage":' .. str(stage)
    .. ',"status":' .. str(status) .. ',"seq":' .. tostring(seq) .. ',"ts":' .. ts
    .. ',"progress":' .. progress .. ',"result":' .. json_or_null(result) .. '}'
  redis.call('PUBLISH', ARGV[4], event)
  reply[#reply + 1] = id
  reply[#reply + 1] = tostring(seq)
  if stage == 'done' or stage == 'error' then
    terminal = true
  end
  seq = seq + 1
end

if event ~= nil then
  redis.call('SET', KEYS[2], event, 'PX', ttl)
  if terminal then
    redis.call('ZREM', KEYS[4], ARGV[3])
  elseif tonumber(ARGV[1]) == 0 then
    redis.call('ZADD', KEYS[4], ts, ARGV[3])
  end
  local submitted = tonumber(ARGV[6])
  if tonumber(ARGV[1]) == 0 or terminal or submitted == 0 or tonumber(ts) - submitted >= ttl / 2 then
    redis.call('PEXPIRE', KEYS[1], ttl)
    for i = 5, #KEYS do
      redis.call('PEXPIRE', KEYS[i], ttl)
    end
  end
end
return reply
