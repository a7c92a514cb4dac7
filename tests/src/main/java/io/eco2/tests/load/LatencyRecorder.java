package io.eco2.tests.load;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

/**
 * A latency distribution, recorded in microseconds and reported in milliseconds.
 *
 * <p>HdrHistogram rather than exact sorted arrays because the memory is fixed (a few tens of KiB) whatever
 * the number of samples: idle mode records one delay per frame per stream, millions in a long run, and an
 * array would grow with them. With 3 significant digits a reported percentile is within 0.1 % of the exact
 * one, far below the run-to-run noise; values above the highest trackable one (1 h) are clamped to it.
 * Thread-safe (synchronized: recording is rare next to the I/O around it).
 */
public final class LatencyRecorder {

  /** Longest latency tracked, µs (1 h). */
  static final long HIGHEST_MICROS = 3_600_000_000L;

  /** The percentiles every summary reports. */
  public static final double[] PERCENTILES = {50, 90, 95, 99};

  private final Histogram histogram = new Histogram(1, HIGHEST_MICROS, 3);
  private double sumMillis;

  /** Records a latency given in nanoseconds (negative values count as 0). */
  public void recordNanos(long nanos) {
    recordMicros(nanos / 1_000);
  }

  /** Records a latency given in milliseconds (negative values count as 0: clock steps). */
  public void recordMillis(long millis) {
    recordMicros(millis * 1_000);
  }

  private synchronized void recordMicros(long micros) {
    long v = Math.min(Math.max(micros, 1), HIGHEST_MICROS);
    histogram.recordValue(v);
    sumMillis += v / 1000.0;
  }

  /** Samples recorded. */
  public synchronized long count() {
    return histogram.getTotalCount();
  }

  /** The value at {@code percentile} (0–100), ms; 0 when empty. */
  public synchronized double percentile(double percentile) {
    return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
  }

  /** The largest sample, ms; 0 when empty. */
  public synchronized double max() {
    return histogram.getTotalCount() == 0 ? 0 : histogram.getMaxValue() / 1000.0;
  }

  /** The mean, ms (exact: kept as a running sum, not from the buckets); 0 when empty. */
  public synchronized double mean() {
    long n = histogram.getTotalCount();
    return n == 0 ? 0 : sumMillis / n;
  }

  /** {@code {"count", "mean", "p50", "p90", "p95", "p99", "max"}}, milliseconds rounded to 0.1. */
  public synchronized JsonObject toJson() {
    JsonObject json = new JsonObject().put("count", count()).put("mean", round(mean()));
    for (double p : PERCENTILES) {
      json.put("p" + (int) p, round(percentile(p)));
    }
    return json.put("max", round(max()));
  }

  static double round(double ms) {
    return Math.round(ms * 10) / 10.0;
  }
}
