package io.eco2.tests.scaling;

import io.eco2.engine.scaling.ReplicaCalculator;

import java.util.ArrayDeque;

/** What a scaling policy reads from the cluster and how its pods leave. */
interface Policy {

  String name();

  /** The metric handed to the HPA, as replicas (the HPA's AverageValue target already divided out). */
  double desiredReplicas(Cluster cluster, double now);

  /** Whether a pod being scaled down drains its work first (SIGTERM) or dies with it. */
  boolean drains();

  /** Whether the scaler wakes workers from zero at once (StreamIsActive) rather than at KEDA's next poll. */
  boolean pushesActivation();

  /** The HPA's scale-down stabilization its ScaledObject sets. */
  default double hpaScaleDownSeconds(SimConfig config) {
    return config.scaleDownStabilizationSeconds();
  }

  /**
   * The original system: KEDA's RabbitMQ trigger (AMQP), one per queue, {@code QueueLength} 10. It sees
   * ready messages only, so work running or prefetched by a pod is invisible; scaled-down pods lose it.
   */
  final class AmqpQueueLength implements Policy {
    @Override
    public String name() {
      return "original: AMQP queue length ≥ 10";
    }

    @Override
    public double desiredReplicas(Cluster cluster, double now) {
      double max = 0;
      for (int s = 0; s < Stages.NAMES.length; s++) {
        max = Math.max(max, Math.ceil(cluster.ready(s) / 10.0));
      }
      return max;
    }

    @Override
    public boolean drains() {
      return false;
    }

    @Override
    public boolean pushesActivation() {
      return false;
    }
  }

  /**
   * Ours: the engine's {@link ReplicaCalculator} (Little's law over ready + in-flight work, measured
   * arrival rates and service times, its own hysteresis), read through the external scaler; pods drain on
   * SIGTERM.
   */
  final class LittlesLaw implements Policy {
    private final ReplicaCalculator calculator;
    private final ArrayDeque<double[]>[] windows;
    private final int concurrency;

    @SuppressWarnings("unchecked")
    LittlesLaw(SimConfig config) {
      this.calculator = new ReplicaCalculator(new ReplicaCalculator.Limits(30, config.minReplicas(), config.maxReplicas(), 60_000));
      this.concurrency = config.podConcurrency();
      this.windows = new ArrayDeque[Stages.NAMES.length];
      for (int i = 0; i < windows.length; i++) {
        windows[i] = new ArrayDeque<>();
      }
    }

    @Override
    public String name() {
      return "ours: Little's law on ready + in flight";
    }

    @Override
    public double desiredReplicas(Cluster cluster, double now) {
      int max = 0;
      for (int s = 0; s < Stages.NAMES.length; s++) {
        // The engine's own sliding window (30 s): arrivals = completions + backlog growth.
        double[] point = {now, cluster.completed(s), cluster.busySeconds(s), cluster.ready(s) + cluster.inflight(s)};
        ArrayDeque<double[]> w = windows[s];
        w.addLast(point);
        while (w.size() > 2 && w.peekFirst()[0] < now - 30) {
          w.pollFirst();
        }
        double[] first = w.peekFirst();
        double dt = now - first[0];
        double done = point[1] - first[1];
        double arrival = dt <= 0 ? 0 : Math.max(0, (done + point[3] - first[3]) / dt);
        double service = done > 0 ? (point[2] - first[2]) / done : Double.NaN;
        ReplicaCalculator.Decision d = calculator.decide(Stages.NAMES[s], new ReplicaCalculator.StageSample(arrival, service,
          cluster.ready(s), cluster.inflight(s), concurrency, cluster.pods(), false), (long) (now * 1000));
        max = Math.max(max, d.desiredReplicas());
      }
      return max;
    }

    @Override
    public boolean drains() {
      return true;
    }

    @Override
    public boolean pushesActivation() {
      return true;
    }

    /** The engine already stabilizes (60 s), so docs/keda's ScaledObject shortens the HPA's own window. */
    @Override
    public double hpaScaleDownSeconds(SimConfig config) {
      return 30;
    }
  }
}
