package io.eco2.tests.scaling;

/**
 * The simulated scenario and cluster. Defaults: the original k6 scenario (30 s ramp to N users, hold,
 * 30 s ramp down; each user submits a scan, waits for its result, thinks 1 s) on KEDA + the HPA with
 * their default timings.
 *
 * @param users virtual users at the plateau
 * @param rampSeconds ramp-up and ramp-down duration
 * @param holdSeconds plateau duration
 * @param thinkSeconds pause of a user between its jobs
 * @param giveUpSeconds a user whose job never ends (lost) gives up after this long
 * @param podConcurrency executions one worker pod runs at once
 * @param prefetch messages a pod holds beyond its running ones (AMQP prefetch; invisible to the AMQP trigger)
 * @param startupSeconds a new pod's start-up time before it consumes
 * @param minReplicas fewest pods
 * @param maxReplicas most pods
 * @param pollingSeconds KEDA polling interval (activation from zero)
 * @param hpaSyncSeconds how often the HPA reads the metric and acts
 * @param scaleDownStabilizationSeconds the HPA's scale-down stabilization window
 * @param graceSeconds terminationGracePeriodSeconds: how long a draining pod may finish its work
 * @param seed random seed (the simulation is deterministic for a seed)
 */
public record SimConfig(int users, double rampSeconds, double holdSeconds, double thinkSeconds, double giveUpSeconds,
                        int podConcurrency, int prefetch, double startupSeconds, int minReplicas, int maxReplicas,
                        double pollingSeconds, double hpaSyncSeconds, double scaleDownStabilizationSeconds,
                        double graceSeconds, long seed) {

  public static SimConfig defaults(int users) {
    return new SimConfig(users, 30, 300, 1, 120, 100, 100, 20, 1, 10, 30, 15, 300, 60, 42);
  }

  /** When the last user stops submitting. */
  double loadEnd() {
    return 2 * rampSeconds + holdSeconds;
  }
}
