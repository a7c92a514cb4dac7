package io.eco2.engine.transport.rabbitmq;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: the base delay starts at {@code initial} and doubles up to {@code max};
 * each delay drawn is uniform in [base/2, base], so that many processes losing the broker at once do not
 * come back in lock step. Thread-safe.
 */
final class Backoff {

  private final long initialMs;
  private final long maxMs;
  private long baseMs;

  Backoff(Duration initial, Duration max) {
    this.initialMs = Math.max(1, initial.toMillis());
    this.maxMs = Math.max(initialMs, max.toMillis());
    this.baseMs = initialMs;
  }

  /** The next delay, in ms; the one after it is (about) twice as long. */
  synchronized long next() {
    long base = baseMs;
    baseMs = Math.min(maxMs, baseMs * 2);
    return base / 2 + ThreadLocalRandom.current().nextLong(base - base / 2 + 1);
  }

  /** Back to the initial delay (after a success). */
  synchronized void reset() {
    baseMs = initialMs;
  }
}
