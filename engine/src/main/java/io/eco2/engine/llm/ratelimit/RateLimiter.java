package io.eco2.engine.llm.ratelimit;

import io.vertx.core.Future;

import java.time.Duration;

/**
 * A budget of LLM requests and tokens per model over a sliding window (a minute in production), shared by
 * whoever holds the same limiter: one process ({@link SlidingWindowLimiter}) or every process using the same
 * Redis ({@link RedisRateLimiter}).
 *
 * <p>The primitive never waits: {@link #tryReserve} either takes one request and {@code tokens} tokens from
 * the budget now, or says how long until there may be room. Waiting (on a timer, bounded, measured) is
 * {@link RateLimitGate}'s job. A reservation is made from an estimate before the call and
 * {@linkplain #correct corrected} from the reply's usage after it.
 *
 * <p>Guarantee: in any window of the configured length, the grants of one model hold at most the request
 * limit and at most the token limit (as corrected). A limit of 0 is no limit.
 */
public interface RateLimiter {

  /** The outcome of one {@link #tryReserve}: a reservation, or the time to wait before asking again. */
  record Decision(Reservation reservation, long waitMillis) {

    public static Decision granted(Reservation reservation) {
      return new Decision(reservation, 0);
    }

    public static Decision denied(long waitMillis) {
      return new Decision(null, Math.max(1, waitMillis));
    }

    public boolean granted() {
      return reservation != null;
    }
  }

  /**
   * A request and its tokens taken from the budget.
   *
   * @param model the model whose budget it is
   * @param id unique per reservation
   * @param tokens the tokens reserved
   * @param grantedAtMillis when the budget was taken, in milliseconds on the limiter's own clock (Redis's
   *        {@code TIME} for the shared limiter, a monotonic clock in process): the time the limit is kept on
   */
  record Reservation(String model, String id, long tokens, long grantedAtMillis) {
  }

  /** Takes one request and {@code tokens} tokens of {@code model}'s budget now, or tells how long to wait. */
  Future<Decision> tryReserve(String model, long tokens);

  /**
   * Replaces the tokens of {@code reservation} by {@code actualTokens} (the reply's usage; 0 when the call
   * cost nothing). A reservation already out of the window is left alone.
   */
  Future<Void> correct(Reservation reservation, long actualTokens);

  /**
   * Grants nothing for {@code model} during {@code duration}: the provider said so (a 429 with
   * {@code Retry-After}), and it says so for every process.
   */
  Future<Void> pause(String model, Duration duration);

  /** The limits this limiter enforces. */
  RateLimits limits();

  /** Releases connections. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
