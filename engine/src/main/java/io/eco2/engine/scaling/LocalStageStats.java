package io.eco2.engine.scaling;

import io.eco2.engine.llm.QuotaLoad;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * This process's own view of its stages, from the signals their owners give ({@link StageLoad} from the
 * stage runtime, {@link QuotaLoad} from the LLM rate-limit gate): executions finished and time spent in
 * them, executions in flight, the median execution time over the recent window (from the histogram
 * buckets, differenced between now and the window's start; the last one measured while nothing finishes),
 * and the quota waits, which count for every stage of {@code scaling.llm-stages}. Used by the embedded
 * autoscaler and by distributed workers for their reports. Not thread-safe: one owner calls {@link #sample}.
 */
final class LocalStageStats {

  /** One stage's local figures. Counters are cumulative since the process started. */
  record Local(long completed, double busySeconds, long inflight, double p50Millis, double quotaWaiters,
               double quotaWaitSeconds) {
  }

  private static final int MAX_SNAPSHOTS = 1024;

  private final StageLoad load;
  private final QuotaLoad quota;
  private final List<String> stages;
  private final Set<String> llmStages;
  private final long windowMillis;
  private final Map<String, ArrayDeque<Buckets>> history = new HashMap<>();
  private final Map<String, Double> lastMedian = new HashMap<>();

  private record Buckets(long at, double[] bounds, double[] cumulative) {
  }

  LocalStageStats(StageLoad load, QuotaLoad quota, List<String> stages, List<String> llmStages, Duration window) {
    this.load = load;
    this.quota = quota;
    this.stages = List.copyOf(stages);
    this.llmStages = Set.copyOf(llmStages);
    this.windowMillis = window.toMillis();
  }

  Map<String, Local> sample(long nowMillis) {
    double waiting = quota.waiting();
    double waited = quota.waitedSeconds();
    Map<String, Local> out = new LinkedHashMap<>();
    for (String stage : stages) {
      StageLoad.Figures f = load.figures(stage);
      double p50 = f.boundsMillis().length == 0 ? Double.NaN
        : windowedMedian(stage, new Buckets(nowMillis, f.boundsMillis(), f.cumulative()));
      // No stage named counts every stage, as LlmCapacity sizes the LLM client (scaling.llm-stages' default).
      boolean llm = llmStages.isEmpty() || llmStages.contains(stage);
      out.put(stage, new Local(f.completed(), f.busySeconds(), f.inflight(), p50, llm ? waiting : 0, llm ? waited : 0));
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
