package io.eco2.engine.scaling;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reads the LLM rate limiter's meters, when the registry has them, by their Prometheus names:
 * {@code llm_quota_waiting} (gauge: callers waiting now) and {@code llm_quota_wait_seconds} (timer: time
 * spent waiting). They belong to the LLM provider, not to this package, so they are found by name and a
 * missing meter counts as 0. A meter with a {@code stage} tag counts for that stage; one without (tagged by
 * {@code model} only) counts for every stage of {@code scaling.llm-stages}.
 */
final class QuotaProbe {

  private QuotaProbe() {
  }

  /** By stage: {waiting now, cumulative seconds waited}. */
  static Map<String, double[]> read(MeterRegistry registry, Collection<String> stages, List<String> llmStages) {
    Map<String, double[]> out = new LinkedHashMap<>();
    stages.forEach(s -> out.put(s, new double[2]));
    for (Meter meter : registry.getMeters()) {
      String name = meter.getId().getName().replace('.', '_');
      int index;
      double value;
      if (name.equals("llm_quota_waiting") && meter instanceof Gauge g) {
        index = 0;
        value = g.value();
      } else if ((name.equals("llm_quota_wait") || name.equals("llm_quota_wait_seconds")) && meter instanceof Timer t) {
        index = 1;
        value = t.totalTime(TimeUnit.NANOSECONDS) / 1e9;
      } else {
        continue;
      }
      if (Double.isNaN(value) || value <= 0) {
        continue;
      }
      String stage = meter.getId().getTag("stage");
      for (String s : stage != null ? List.of(stage) : llmStages) {
        double[] v = out.get(s);
        if (v != null) {
          v[index] += value;
        }
      }
    }
    return out;
  }
}
