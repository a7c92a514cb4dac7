package io.eco2.engine.scaling;

import java.util.ArrayDeque;

/**
 * Turns one stage's successive observations into rates over a sliding window.
 *
 * <p>The arrival rate needs no counter of its own: work is conserved, so what arrived over the window is
 * what finished plus what the backlog (ready + in flight) grew, λ = (Δcompleted + Δbacklog) / Δt. Retries
 * re-enter the queue and count as arrivals, as they should: they need a slot again. The mean service time
 * is Δbusy / Δcompleted (the last measured value is kept while nothing finishes). The stage counts as
 * waiting on the LLM quota when someone waits right now or when, over the window, on average at least
 * {@link #QUOTA_WAITERS} callers were waiting (Δwait-seconds / Δt, Little's law again).
 */
final class StageTracker {

  static final double QUOTA_WAITERS = 0.5;
  private static final int MAX_ENTRIES = 4096;

  private record Point(long at, long completed, double busy, long backlog, double quotaSeconds) {
  }

  private final long windowMillis;
  private final ArrayDeque<Point> points = new ArrayDeque<>();
  private double lastServiceSeconds = Double.NaN;

  /** The derived figures of one instant. */
  record Rates(double arrivalRate, double serviceSeconds, boolean quotaWaiting) {
  }

  StageTracker(long windowMillis) {
    this.windowMillis = windowMillis;
  }

  Rates add(StageObservation o, long now) {
    Point p = new Point(now, o.completed(), o.busySeconds(), o.ready() + o.inflight(), o.quotaWaitSeconds());
    points.addLast(p);
    while (points.size() > 2 && (points.peekFirst().at() < now - windowMillis || points.size() > MAX_ENTRIES)) {
      points.pollFirst();
    }
    Point first = points.peekFirst();
    double dt = (p.at() - first.at()) / 1000.0;
    long done = p.completed() - first.completed();
    if (done > 0) {
      lastServiceSeconds = (p.busy() - first.busy()) / done;
    }
    double arrival = dt <= 0 ? 0 : Math.max(0, (done + (p.backlog() - first.backlog())) / dt);
    double waiters = dt <= 0 ? 0 : (p.quotaSeconds() - first.quotaSeconds()) / dt;
    return new Rates(arrival, lastServiceSeconds, o.quotaWaiters() > 0 || waiters >= QUOTA_WAITERS);
  }
}
