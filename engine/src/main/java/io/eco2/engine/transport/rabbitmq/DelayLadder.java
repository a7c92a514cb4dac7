package io.eco2.engine.transport.rabbitmq;

import java.util.ArrayList;
import java.util.List;

/**
 * The fixed delays a retry can wait out in RabbitMQ, one delay queue each, so that every delay queue has a
 * single queue-level TTL and its head is always the message due first.
 *
 * <p>Promise: {@link #rungAtLeast(long)} of a delay {@code d > 0} is never below {@code d} and exceeds it by
 * less than {@code max(d / 10, 100 ms)}. The rungs are 100, 200, … 1,000 ms, then each rung is the one before
 * plus a tenth of it (1,100, 1,210, 1,331, …): a delay between two rungs is rounded up to the upper one, which
 * lies less than {@code max(lower / 10, 100 ms)} above it. Rounding up, never down: a retry is never early,
 * so an upstream's {@code Retry-After} still holds.
 */
final class DelayLadder {

  /** The first rung, and the absolute tolerance. */
  static final long FIRST_MS = 100;

  private DelayLadder() {
  }

  static long next(long rung) {
    return rung + Math.max(FIRST_MS, rung / 10);
  }

  /** The lowest rung not below {@code delayMs} ({@value #FIRST_MS} for any delay up to it). */
  static long rungAtLeast(long delayMs) {
    long rung = FIRST_MS;
    while (rung < delayMs) {
      rung = next(rung);
    }
    return rung;
  }

  /** The rungs that every delay in {@code [minMs, maxMs]} rounds up to, ascending. */
  static List<Long> covering(long minMs, long maxMs) {
    List<Long> rungs = new ArrayList<>();
    long top = rungAtLeast(maxMs);
    for (long r = rungAtLeast(minMs); r <= top; r = next(r)) {
      rungs.add(r);
    }
    return rungs;
  }
}
