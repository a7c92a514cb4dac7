package io.eco2.engine.scaling;

import io.eco2.engine.transport.StageConsumer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * In-process elasticity (embedded mode, {@code scaling.elastic-concurrency}): the autoscaler's decision
 * for a stage becomes each of its worker instances' concurrency, ⌈required executions / instances⌉ within
 * [{@code scaling.min-concurrency}, {@code scaling.max-concurrency}]. It follows the same hysteresis as the
 * replica decision: it grows at once and shrinks only after the stabilization window. Lowering it never
 * interrupts work: a consumer above its new limit just takes no more until it is below.
 */
final class Elasticity {

  private final Function<String, List<StageConsumer>> consumers;
  private final Map<String, Integer> instances;
  private final Map<String, Integer> current = new HashMap<>();
  private final int min;
  private final int max;
  private final ScalingMetrics meters;

  /**
   * @param initial each stage's configured concurrency per instance (where it starts)
   */
  Elasticity(Function<String, List<StageConsumer>> consumers, Map<String, Integer> instances, Map<String, Integer> initial,
             int min, int max, ScalingMetrics meters) {
    this.consumers = consumers;
    this.instances = Map.copyOf(instances);
    this.current.putAll(initial);
    this.min = min;
    this.max = max;
    this.meters = meters;
  }

  /** Applies a decision; returns the concurrency per instance now in force. */
  int apply(String stage, ReplicaCalculator.Decision d) {
    int n = instances.getOrDefault(stage, 1);
    int now = current.getOrDefault(stage, min);
    int target = ReplicaCalculator.concurrencyPerInstance(d, n, now, min, max);
    if (target != now) {
      List<StageConsumer> list = consumers.apply(stage);
      for (StageConsumer c : list) {
        c.setConcurrency(target);
      }
      if (!list.isEmpty()) {
        current.put(stage, target);
        meters.concurrency(stage, (long) target * list.size());
      }
    }
    return current.getOrDefault(stage, now);
  }
}
