package io.eco2.engine.scaling;

import io.eco2.engine.metrics.PipelineMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * This process's own view of its stages, read from the meters it already keeps: executions finished and
 * time spent in them (the {@code pipeline_stage_duration_seconds} timers of every outcome), executions in
 * flight, the median execution time over the recent window (from the timers' histogram buckets, differenced
 * between now and the window's start; the last one measured while nothing finishes), and the LLM quota meters. Used by the embedded autoscaler and by
 * distributed workers for their reports. Not thread-safe: one owner calls {@link #sample}.
 */
final class LocalStageStats {

  /** One stage's local figures. Counters are cumulative since the process started. */
  record Local(long completed, double busySeconds, long inflight, double p50Millis, double quotaWaiters,
               double quotaWaitSeconds) {
  }

  private static final int MAX_SNAPSHOTS = 1024;

  private final MeterRegistry registry;
  private final PipelineMetrics metrics;
  private final List<String> stages;
  private final List<String> llmStages;
  private final long windowMillis;
  private final Map<String, ArrayDeque<Buckets>> history = new HashMap<>();
  private final Map<String, Double> lastMedian = new HashMap<>();

  private record Buckets(long at, double[] bounds, double[] cumulative) {
  }

  LocalStageStats(PipelineMetrics metrics, List<String> stages, List<String> llmStages, Duration window) {
    this.registry = metrics.registry();
    this.metrics = metrics;
    this.stages = List.copyOf(stages);
    this.llmStages = List.copyOf(llmStages);
    this.windowMillis = window.toMillis();
  }

  Map<String, Local> sample(long nowMillis) {
    Map<String, double[]> quota = QuotaProbe.read(registry, stages, llmStages);
    Map<String, Local> out = new LinkedHashMap<>();
    for (String stage : stages) {
      long completed = 0;
      double busy = 0;
      double[] bounds = null;
      double[] cumulative = null;
      for (Timer t : registry.find("pipeline.stage.duration").tag("stage", stage).timers()) {
        HistogramSnapshot snap = t.takeSnapshot();
        completed += snap.count();
        busy += snap.total(TimeUnit.NANOSECONDS) / 1e9;
        CountAtBucket[] counts = snap.histogramCounts();
        if (bounds == null) {
          bounds = new double[counts.length];
          cumulative = new double[counts.length];
          for (int i = 0; i < counts.length; i++) {
            bounds[i] = counts[i].bucket(TimeUnit.MILLISECONDS);
          }
        }
        for (int i = 0; i < Math.min(counts.length, cumulative.length); i++) {
          cumulative[i] += counts[i].count();
        }
      }
      double p50 = bounds == null ? Double.NaN : windowedMedian(stage, new Buckets(nowMillis, bounds, cumulative));
      double[] q = quota.get(stage);
      out.put(stage, new Local(completed, busy, metrics.inflight(stage), p50, q[0], q[1]));
    }
    return out;
  }

  private double windowedMedian(String stage, Buckets now) {
    ArrayDeque<Buckets> h = history.computeIfAbsent(stage, s -> new ArrayDeque<>());
    h.addLast(now);
    while (h.size() > 1 && (h.peekFirst().at() < now.at() - windowMillis || h.size() > MAX_SNAPSHOTS)) {
      h.pollFirst();
    }
    Buckets first = h.peekFirst();
    boolean sameShape = first != now && first.cumulative().length == now.cumulative().length;
    double m = median(now.bounds(), now.cumulative(), sameShape ? first.cumulative() : null);
    // While nothing finishes the last measured median still describes the stage best.
    return Double.isNaN(m) ? lastMedian.getOrDefault(stage, Double.NaN) : cache(stage, m);
  }

  private double cache(String stage, double median) {
    lastMedian.put(stage, median);
    return median;
  }

  /**
   * The median of a cumulative ("le") histogram, or of the difference of two, interpolated linearly
   * within its bucket (what Prometheus' {@code histogram_quantile} does); NaN when the difference is empty.
   */
  static double median(double[] bounds, double[] cumulative, double[] earlier) {
    int n = cumulative.length;
    if (n == 0) {
      return Double.NaN;
    }
    double total = cumulative[n - 1] - (earlier == null ? 0 : earlier[n - 1]);
    if (total <= 0) {
      return Double.NaN;
    }
    double target = total / 2;
    double previous = 0;
    for (int i = 0; i < n; i++) {
      double c = cumulative[i] - (earlier == null ? 0 : earlier[i]);
      if (c >= target) {
        double lower = i == 0 ? 0 : bounds[i - 1];
        return c == previous ? bounds[i] : lower + (bounds[i] - lower) * (target - previous) / (c - previous);
      }
      previous = c;
    }
    return bounds[n - 1];
  }
}
