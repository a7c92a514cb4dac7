package io.eco2.tests.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Everything a run measures, shared by all virtual users (thread-safe: users run on several event loops).
 * Memory is bounded: latencies go to fixed-size histograms, completions to one counter per second of the
 * run, failure reasons and violation kinds to small maps keyed by a fixed vocabulary.
 */
public final class RunStats {

  /** How one iteration ended (see docs/BENCHMARKS.md, "Outcomes"). */
  public enum Outcome {
    /** {@code done} arrived, every stage sent {@code completed}, the result is {@code completed} */
    COMPLETED,
    /** the job ended but the client did not see all of it (a stage's completed, the terminal frame) */
    PARTIAL,
    /** rejected, errored, failed, timed out or cut at the hard stop */
    FAILED
  }

  public final LatencyRecorder submit = new LatencyRecorder();
  public final LatencyRecorder firstFrame = new LatencyRecorder();
  public final LatencyRecorder endToEnd = new LatencyRecorder();
  public final LatencyRecorder stageSum = new LatencyRecorder();
  public final LatencyRecorder resultFetch = new LatencyRecorder();
  public final LatencyRecorder think = new LatencyRecorder();
  /** idle mode: engine {@code ts} to the client's arrival time of live frames */
  public final LatencyRecorder eventDelay = new LatencyRecorder();

  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong partial = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong rewardNull = new AtomicLong();
  private final AtomicLong degraded = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong streamsOpened = new AtomicLong();
  private final AtomicLong streamsOpen = new AtomicLong();
  private final AtomicLong peakStreamsOpen = new AtomicLong();
  private final Map<String, Long> failures = new TreeMap<>();
  private final Map<String, Long> partials = new TreeMap<>();
  private final Map<String, Long> violations = new TreeMap<>();
  private final AtomicLongArray completedPerSecond;
  private final long startNanos;

  /** @param runSeconds length of the run including grace (sizes the per-second completion counters) */
  public RunStats(long runSeconds, long startNanos) {
    this.completedPerSecond = new AtomicLongArray((int) Math.min(runSeconds + 2, 7 * 24 * 3600));
    this.startNanos = startNanos;
  }

  /** Records an iteration's outcome; {@code reason} says why for partial and failed ones. */
  public void outcome(Outcome outcome, String reason) {
    switch (outcome) {
      case COMPLETED -> {
        completed.incrementAndGet();
        int second = (int) ((System.nanoTime() - startNanos) / 1_000_000_000L);
        if (second >= 0 && second < completedPerSecond.length()) {
          completedPerSecond.incrementAndGet(second);
        }
      }
      case PARTIAL -> {
        partial.incrementAndGet();
        count(partials, reason);
      }
      case FAILED -> {
        failed.incrementAndGet();
        count(failures, reason);
      }
    }
  }

  /** Records a result's reward and degradation (completed and partial jobs whose result was read). */
  public void result(boolean rewardIsNull, boolean isDegraded) {
    if (rewardIsNull) {
      rewardNull.incrementAndGet();
    }
    if (isDegraded) {
      degraded.incrementAndGet();
    }
  }

  /** Counts a submit answered 429 (the iteration also counts as failed). */
  public void rejected() {
    rejected.incrementAndGet();
  }

  /** Adds a stream's integrity violations. */
  public void violations(Map<StreamChecker.Violation, Integer> found) {
    found.forEach((kind, n) -> {
      synchronized (violations) {
        violations.merge(kind.name().toLowerCase(java.util.Locale.ROOT), (long) n, Long::sum);
      }
    });
  }

  /** A stream was opened (idle mode keeps the number open and its peak). */
  public void streamOpened() {
    streamsOpened.incrementAndGet();
    long now = streamsOpen.incrementAndGet();
    peakStreamsOpen.accumulateAndGet(now, Math::max);
  }

  public void streamClosed() {
    streamsOpen.decrementAndGet();
  }

  private static void count(Map<String, Long> map, String reason) {
    synchronized (map) {
      map.merge(reason == null ? "unknown" : reason, 1L, Long::sum);
    }
  }

  public long completed() {
    return completed.get();
  }

  public long partial() {
    return partial.get();
  }

  public long failed() {
    return failed.get();
  }

  public long iterations() {
    return completed.get() + partial.get() + failed.get();
  }

  public long rewardNull() {
    return rewardNull.get();
  }

  public long degraded() {
    return degraded.get();
  }

  public long rejectedCount() {
    return rejected.get();
  }

  public long streamsOpened() {
    return streamsOpened.get();
  }

  public long streamsOpen() {
    return streamsOpen.get();
  }

  public long peakStreamsOpen() {
    return peakStreamsOpen.get();
  }

  public Map<String, Long> failures() {
    synchronized (failures) {
      return Map.copyOf(failures);
    }
  }

  public Map<String, Long> partials() {
    synchronized (partials) {
      return Map.copyOf(partials);
    }
  }

  public Map<String, Long> violations() {
    synchronized (violations) {
      return Map.copyOf(violations);
    }
  }

  public long violationCount() {
    return violations().values().stream().mapToLong(Long::longValue).sum();
  }

  /** Jobs completed in the run's seconds [{@code fromSecond}, {@code toSecond}). */
  public long completedBetween(long fromSecond, long toSecond) {
    long n = 0;
    for (long s = Math.max(0, fromSecond); s < Math.min(toSecond, completedPerSecond.length()); s++) {
      n += completedPerSecond.get((int) s);
    }
    return n;
  }
}
