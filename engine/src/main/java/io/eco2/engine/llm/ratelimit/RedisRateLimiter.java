package io.eco2.engine.llm.ratelimit;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The distributed {@link RateLimiter}: the same sliding log as {@link SlidingWindowLimiter}, kept in Redis
 * and changed only by Lua scripts, so that every worker process draws on one budget atomically.
 *
 * <p>Keys, per model ({@code {model}} is a hash tag, so one model's keys share a cluster slot):
 * <ul>
 *   <li>{@code <prefix>:ratelimit:{<model>}:log} — sorted set of grants, score = grant time (ms), member
 *   {@code <id>:<tokens>};</li>
 *   <li>{@code <prefix>:ratelimit:{<model>}:tokens} — the sum of the tokens in the log;</li>
 *   <li>{@code <prefix>:ratelimit:{<model>}:pause} — until when (ms) nothing is granted (a provider's 429).</li>
 * </ul>
 * Times come from Redis ({@code TIME}), so the processes' clocks need not agree. Every key expires two
 * windows after its last write: an idle model leaves nothing behind. The log holds at most the request limit
 * entries, bounded like the in-process one. Each decision is one round trip.
 */
public final class RedisRateLimiter implements RateLimiter {

  // Evicts grants older than the window, then grants or answers {0, wait_ms}. ARGV: rpm, tpm, window_ms, tokens, id.
  private static final RedisScript RESERVE = new RedisScript("""
    local t = redis.call('TIME')
    local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
    local rpm, tpm, win, need = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
    local pause = tonumber(redis.call('GET', KEYS[3]) or '0')
    if pause > now then return {0, pause - now} end
    if rpm == 0 and tpm == 0 then return {1, now} end
    local horizon = now - win
    local old = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', horizon)
    if #old > 0 then
      local freed = 0
      for _, m in ipairs(old) do freed = freed + tonumber(string.match(m, ':(%d+)$')) end
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', horizon)
      if freed > 0 then redis.call('DECRBY', KEYS[2], freed) end
    end
    if rpm > 0 and redis.call('ZCARD', KEYS[1]) >= rpm then
      local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
      return {0, tonumber(first[2]) + win - now}
    end
    local sum = tonumber(redis.call('GET', KEYS[2]) or '0')
    if sum < 0 then sum = 0 end
    if tpm > 0 and sum + need > tpm then
      local freed, from = 0, 0
      while true do
        local e = redis.call('ZRANGE', KEYS[1], from, from + 99, 'WITHSCORES')
        if #e == 0 then break end
        for i = 1, #e, 2 do
          freed = freed + tonumber(string.match(e[i], ':(%d+)$'))
          if sum - freed + need <= tpm then return {0, tonumber(e[i + 1]) + win - now} end
        end
        from = from + 100
      end
      return {0, win}
    end
    redis.call('ZADD', KEYS[1], now, ARGV[5] .. ':' .. need)
    redis.call('INCRBY', KEYS[2], need)
    redis.call('PEXPIRE', KEYS[1], win * 2)
    redis.call('PEXPIRE', KEYS[2], win * 2)
    return {1, now}
    """);

  // Replaces a grant's tokens if it is still in the log. ARGV: id, reserved, actual.
  private static final RedisScript CORRECT = new RedisScript("""
    local old = ARGV[1] .. ':' .. ARGV[2]
    local score = redis.call('ZSCORE', KEYS[1], old)
    if not score then return 0 end
    redis.call('ZREM', KEYS[1], old)
    redis.call('ZADD', KEYS[1], score, ARGV[1] .. ':' .. ARGV[3])
    redis.call('INCRBY', KEYS[2], tonumber(ARGV[3]) - tonumber(ARGV[2]))
    return 1
    """);

  // Moves the pause forward (never back). ARGV: duration_ms.
  private static final RedisScript PAUSE = new RedisScript("""
    local t = redis.call('TIME')
    local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
    local d = tonumber(ARGV[1])
    local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
    if now + d > cur then redis.call('SET', KEYS[1], now + d, 'PX', d) end
    return 1
    """);

  private final Redis redis;
  private final RedisAPI api;
  private final String prefix;
  private final RateLimits limits;

  /**
   * @param redis a pooled client (the limiter issues short commands only, never blocking ones)
   * @param keyPrefix {@code redis.key-prefix}
   */
  public RedisRateLimiter(Redis redis, String keyPrefix, RateLimits limits) {
    this.redis = redis;
    this.api = RedisAPI.api(redis);
    this.prefix = keyPrefix + ":ratelimit:";
    this.limits = limits;
  }

  @Override
  public RateLimits limits() {
    return limits;
  }

  /** The Redis key of {@code model}'s {@code part} ({@code log}, {@code tokens}, {@code pause}). */
  public String key(String model, String part) {
    return prefix + "{" + model + "}:" + part;
  }

  @Override
  public Future<Decision> tryReserve(String model, long tokens) {
    long need = limits.clampTokens(tokens);
    String id = UUID.randomUUID().toString();
    return RESERVE.run(api, List.of(key(model, "log"), key(model, "tokens"), key(model, "pause")),
        List.of(Long.toString(limits.requestsPerWindow()), Long.toString(limits.tokensPerWindow()),
          Long.toString(limits.window().toMillis()), Long.toString(need), id))
      .map(r -> decision(r, model, id, need));
  }

  private Decision decision(Response r, String model, String id, long need) {
    if (r.get(0).toLong() == 1) {
      return Decision.granted(new Reservation(model, limits.unlimited() ? "" : id, need, r.get(1).toLong()));
    }
    return Decision.denied(r.get(1).toLong());
  }

  @Override
  public Future<Void> correct(Reservation reservation, long actualTokens) {
    long actual = Math.max(0, actualTokens);
    if (reservation.id().isEmpty() || actual == reservation.tokens()) {
      return Future.succeededFuture();
    }
    return CORRECT.run(api, List.of(key(reservation.model(), "log"), key(reservation.model(), "tokens")),
      List.of(reservation.id(), Long.toString(reservation.tokens()), Long.toString(actual))).mapEmpty();
  }

  @Override
  public Future<Void> pause(String model, Duration duration) {
    if (duration.toMillis() <= 0) {
      return Future.succeededFuture();
    }
    return PAUSE.run(api, List.of(key(model, "pause")), List.of(Long.toString(duration.toMillis()))).mapEmpty();
  }

  /** Nothing to release: the Redis client is its owner's (the engine's one client per process), closed by it. */
  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
