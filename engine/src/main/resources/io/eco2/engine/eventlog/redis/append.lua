-- Appends one progress event to a job's stream, atomically (CONTRACT §4).
--
-- KEYS[1] events stream   KEYS[2] state key   KEYS[3] result key, KEYS[4] owner key, KEYS[5] cancel key
--   (of KEYS[3..5] only the TTL is touched: they live as long as the job's events)
-- ARGV[1] dedup key   ARGV[2] stage   ARGV[3] status   ARGV[4] progress   ARGV[5] result JSON text or ""
-- ARGV[6] ttl ms      ARGV[7] job id  ARGV[8] notification channel
--
-- Returns {id, stage, status, seq, ts, progress, result, deduped} as strings ("1" when the event
-- already existed: a redelivered step is logged once and the first logging wins).
--
-- The event JSON (state key and notification) is built by concatenation with the result JSON text
-- embedded raw: cjson.decode/encode would turn an empty array into an object ({"degraded": []}).

local function str(s)
  -- cjson only mangles tables; encoding a plain string gives a correctly escaped JSON string.
  return cjson.encode(s)
end

local function json_or_null(text)
  if text == nil or text == '' or text == 'null' then
    return 'null'
  end
  return text
end

local function field(fields, name)
  for i = 1, #fields, 2 do
    if fields[i] == name then
      return fields[i + 1]
    end
  end
  return ''
end

-- Dedup: a job's stream holds a dozen entries, so a scan is cheaper than another key to keep in step.
local entries = redis.call('XRANGE', KEYS[1], '-', '+')
for _, entry in ipairs(entries) do
  local f = entry[2]
  if field(f, 'dedup') == ARGV[1] then
    return {entry[1], field(f, 'stage'), field(f, 'status'), field(f, 'seq'), field(f, 'ts'),
            field(f, 'progress'), field(f, 'result'), '1'}
  end
end

local seq = redis.call('XLEN', KEYS[1])
local t = redis.call('TIME')
local ts = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local result = ARGV[5]
local id = redis.call('XADD', KEYS[1], '*',
  'stage', ARGV[2], 'status', ARGV[3], 'seq', tostring(seq), 'ts', string.format('%d', ts), 'progress', ARGV[4],
  'result', result, 'dedup', ARGV[1])
local ttl = tonumber(ARGV[6])
redis.call('PEXPIRE', KEYS[1], ttl)
for i = 3, #KEYS do
  redis.call('PEXPIRE', KEYS[i], ttl)
end

local event = '{"id":' .. str(id) .. ',"job_id":' .. str(ARGV[7]) .. ',"stage":' .. str(ARGV[2])
  .. ',"status":' .. str(ARGV[3]) .. ',"seq":' .. tostring(seq) .. ',"ts":' .. string.format('%d', ts)
  .. ',"progress":' .. ARGV[4] .. ',"result":' .. json_or_null(result) .. '}'
redis.call('SET', KEYS[2], event, 'PX', ttl)
redis.call('PUBLISH', ARGV[8], event)

return {id, ARGV[2], ARGV[3], tostring(seq), string.format('%d', ts), ARGV[4], result, '0'}
