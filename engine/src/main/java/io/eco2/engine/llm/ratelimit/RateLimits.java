package io.eco2.engine.llm.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits of one model's budget: requests and tokens in any sliding window of {@code window} (a minute in
 * production; tests shorten it). 0 means unlimited.
 *
 * @param requestsPerWindow requests admitted per window, 0 = unlimited
 * @param tokensPerWindow tokens admitted per window, 0 = unlimited
 * @param window the window's length
 */
public record RateLimits(long requestsPerWindow, long tokensPerWindow, Duration window) {

  public static final Duration MINUTE = Duration.ofMinutes(1);

  public RateLimits {
    if (requestsPerWindow < 0 || tokensPerWindow < 0) {
      throw new IllegalArgumentException("limits must be 0 (unlimited) or more");
    }
    Objects.requireNonNull(window, "window");
    if (window.toMillis() < 1) {
      throw new IllegalArgumentException("window must be at least 1 ms");
    }
  }

  /** Per-minute limits, as configured by {@code llm.rate-limit.*}. */
  public static RateLimits perMinute(long requests, long tokens) {
    return new RateLimits(requests, tokens, MINUTE);
  }

  /** Whether nothing is limited. */
  public boolean unlimited() {
    return requestsPerWindow == 0 && tokensPerWindow == 0;
  }

  /**
   * The tokens a call may reserve: its estimate, but never more than a whole window's budget, so that an
   * oversized estimate waits for an empty window instead of waiting forever.
   */
  public long clampTokens(long estimate) {
    long t = Math.max(0, estimate);
    return tokensPerWindow > 0 ? Math.min(t, tokensPerWindow) : t;
  }
}
