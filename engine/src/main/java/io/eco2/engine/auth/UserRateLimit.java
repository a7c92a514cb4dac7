package io.eco2.engine.auth;

import io.eco2.engine.llm.ratelimit.RateLimiter;
import io.eco2.engine.llm.ratelimit.RateLimits;
import io.eco2.engine.llm.ratelimit.RedisRateLimiter;
import io.eco2.engine.llm.ratelimit.SlidingWindowLimiter;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code auth.user-rate-limit.per-minute}: how many jobs one user may submit in any 60 s window. It reuses
 * the LLM quota's sliding-window limiter with the user as the budget's name: in one process in embedded
 * mode, in Redis ({@code <prefix>:ratelimit:{user:<id>}:*}, one atomic script per decision) in distributed
 * mode, so every API instance draws on the same budget.
 */
public final class UserRateLimit {

  /** Users whose in-process budgets are kept at most (least recently seen dropped first). */
  public static final int MAX_LOCAL_USERS = 100_000;

  private final RateLimiter shared;
  private final RateLimits limits;
  // Embedded mode: one limiter per user, bounded; a dropped user starts with a fresh budget.
  private final Map<String, SlidingWindowLimiter> local = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, SlidingWindowLimiter> eldest) {
      return size() > MAX_LOCAL_USERS;
    }
  };

  private UserRateLimit(RateLimiter shared, RateLimits limits) {
    this.shared = shared;
    this.limits = limits;
  }

  /**
   * @param redis the event log's pooled client in distributed mode (shared, not closed here), or null for
   *              an in-process limit
   * @return null when the limit is off (0)
   */
  public static UserRateLimit create(long perMinute, Redis redis, String keyPrefix) {
    if (perMinute <= 0) {
      return null;
    }
    RateLimits limits = RateLimits.perMinute(perMinute, 0);
    return new UserRateLimit(redis == null ? null : new RedisRateLimiter(redis, keyPrefix, limits), limits);
  }

  /**
   * Takes one submit from {@code caller}'s budget.
   *
   * @return {@link Duration#ZERO} when granted, else how long until the caller may submit again
   */
  public Future<Duration> tryAcquire(Caller caller) {
    String budget = "user:" + caller.userId();
    RateLimiter limiter = shared;
    if (limiter == null) {
      synchronized (local) {
        limiter = local.computeIfAbsent(budget, b -> new SlidingWindowLimiter(limits));
      }
    }
    return limiter.tryReserve(budget, 0)
      .map(d -> d.granted() ? Duration.ZERO : Duration.ofMillis(d.waitMillis()));
  }
}
