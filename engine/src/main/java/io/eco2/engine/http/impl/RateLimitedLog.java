package io.eco2.engine.http.impl;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One WARNING line at most per interval, whatever a client sends: refused requests are logged so an
 * operator sees them, but a flood of them cannot flood the log. Lines skipped in between are counted in
 * the next one. Never logs a stack trace (a bad request is not a server fault).
 */
public final class RateLimitedLog {

  private final Logger log;
  private final long intervalNanos;
  private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();

  public RateLimitedLog(String name, long intervalMillis) {
    this.log = System.getLogger(name);
    this.intervalNanos = intervalMillis * 1_000_000L;
  }

  public void warn(String line) {
    long now = System.nanoTime();
    long due = next.get();
    if ((due == Long.MIN_VALUE || now - due >= 0) && next.compareAndSet(due, now + intervalNanos)) {
      long skipped = suppressed.getAndSet(0);
      log.log(Level.WARNING, skipped == 0 ? line : line + " (" + skipped + " similar lines suppressed)");
    } else {
      suppressed.incrementAndGet();
    }
  }
}
