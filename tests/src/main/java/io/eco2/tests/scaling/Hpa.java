package io.eco2.tests.scaling;

import java.util.ArrayDeque;

/**
 * The Horizontal Pod Autoscaler as KEDA drives it, with its default behaviour: every sync period it reads
 * the metric (desired = ⌈metric / target⌉ for an AverageValue target), ignores changes within its 10 %
 * tolerance, scales up at once by at most max(100 %, 4 pods) per period, and scales down to the highest
 * recommendation of the last {@code scaleDownSeconds}. KEDA itself activates a Deployment
 * at zero replicas at its polling interval (or at once when the external scaler pushes activity).
 */
final class Hpa {

  private final SimConfig config;
  private final ArrayDeque<double[]> recommendations = new ArrayDeque<>();
  private final double scaleDownSeconds;

  Hpa(SimConfig config, double scaleDownSeconds) {
    this.config = config;
    this.scaleDownSeconds = scaleDownSeconds;
  }

  /** The replica count to run after a sync at {@code now}, given {@code current} pods and the metric. */
  int sync(double now, int current, double metricReplicas) {
    int desired = (int) Math.ceil(metricReplicas - 1e-9);
    if (current > 0 && Math.abs(metricReplicas / current - 1) <= 0.1) {
      desired = current;
    }
    desired = Math.max(config.minReplicas(), Math.min(config.maxReplicas(), desired));
    recommendations.addLast(new double[] {now, desired});
    while (!recommendations.isEmpty() && recommendations.peekFirst()[0] < now - scaleDownSeconds) {
      recommendations.pollFirst();
    }
    if (desired > current) {
      return Math.min(desired, Math.max(current * 2, current + 4));
    }
    int stabilized = (int) recommendations.stream().mapToDouble(r -> r[1]).max().orElse(desired);
    return Math.min(current, stabilized);
  }
}
