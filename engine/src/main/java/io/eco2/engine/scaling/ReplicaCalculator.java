package io.eco2.engine.scaling;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns what is known about a stage into the number of worker replicas it needs. Pure: no I/O, no clock of
 * its own (the caller passes the time), so every decision can be replayed in a unit test.
 *
 * <p>Per stage, with λ the arrival rate (executions/s), S the mean service time (s), B the ready backlog
 * (waiting, not in flight), I the executions in flight across all workers, T the target drain time
 * ({@code scaling.target-drain-seconds}) and K the concurrency of one replica (instances × concurrency):
 * <pre>
 *   C        = (λ + B / T) × S                 executions needed at once (Little's law: L = λ·W), so that
 *                                              new work keeps up and the backlog drains within T
 *   required = max(⌈C⌉, I)                     never less than what is already running
 *   raw      = ⌈required / K⌉
 *   desired  = max(clamp(raw_stabilized, min, max), ⌈I / K⌉)
 * </pre>
 * Until a service time has been measured S is taken as T (every waiting job then needs a slot of its own),
 * and a stage with any backlog or work in flight needs at least one replica.
 *
 * <p><b>Hysteresis.</b> The required executions enter a sliding window of {@code scale-down-stabilization}
 * length and the decision follows the window's maximum (the HPA's own stabilization rule): a higher value
 * is followed at once, a lower one only after every higher one in the window has aged out, i.e. after the
 * lower value held for the whole window. It never drops below what the work in flight needs.
 *
 * <p><b>LLM quota.</b> When a stage's calls are waiting on the LLM provider's quota, more workers only add
 * more waiters: the stage then never asks for more capacity than it has now ({@code currentReplicas} × K,
 * or what is in flight), and the decision says {@code limitedBy = "llm_quota"}.
 *
 * <p>Not thread-safe: one autoscaler owns one calculator and calls it from its own context.
 */
public final class ReplicaCalculator {

  /** Why a decision is lower than the load alone would ask for. */
  public static final String LIMITED_BY_QUOTA = "llm_quota";
  public static final String LIMITED_BY_MAX = "max_replicas";

  /** Window entries kept per stage at most; more than enough for any sane window / interval ratio. */
  static final int MAX_WINDOW_ENTRIES = 4096;

  /**
   * @param targetDrainSeconds T: a backlog should drain within this time
   * @param minReplicas the least replicas recommended
   * @param maxReplicas the most replicas recommended for growth
   * @param stabilizationMillis how long a lower value must hold before it is followed
   */
  public record Limits(double targetDrainSeconds, int minReplicas, int maxReplicas, long stabilizationMillis) {
    public Limits {
      if (targetDrainSeconds <= 0 || minReplicas < 0 || maxReplicas < Math.max(1, minReplicas) || stabilizationMillis < 0) {
        throw new IllegalArgumentException("bad scaling limits: drain " + targetDrainSeconds + " s, replicas "
          + minReplicas + ".." + maxReplicas + ", stabilization " + stabilizationMillis + " ms");
      }
    }
  }

  /**
   * What is known about one stage at one instant.
   *
   * @param arrivalRate λ, executions arriving per second
   * @param serviceTimeSeconds S, mean execution time; {@code NaN} or ≤ 0 when not measured yet
   * @param ready B, work waiting (not in flight)
   * @param inflight I, executions in flight across all workers
   * @param perReplicaConcurrency K, executions one replica runs at once
   * @param currentReplicas replicas running now (embedded mode: 1)
   * @param quotaWaiting whether the stage's LLM calls are waiting on the provider's quota
   */
  public record StageSample(double arrivalRate, double serviceTimeSeconds, long ready, long inflight,
                            int perReplicaConcurrency, int currentReplicas, boolean quotaWaiting) {
  }

  /**
   * A decision for one stage.
   *
   * @param desiredReplicas the recommendation
   * @param requiredExecutions executions the stage should be able to run at once (after stabilization)
   * @param rawReplicas the recommendation of this instant alone (before stabilization and bounds)
   * @param limitedBy {@link #LIMITED_BY_QUOTA}, {@link #LIMITED_BY_MAX} or null
   */
  public record Decision(int desiredReplicas, long requiredExecutions, int rawReplicas, String limitedBy) {
  }

  private final Limits limits;
  private final Map<String, ArrayDeque<long[]>> windows = new HashMap<>();

  public ReplicaCalculator(Limits limits) {
    this.limits = limits;
  }

  public Limits limits() {
    return limits;
  }

  /** Decides for {@code stage} at {@code nowMillis}, remembering the value for later hysteresis. */
  public Decision decide(String stage, StageSample s, long nowMillis) {
    double t = limits.targetDrainSeconds();
    double service = Double.isNaN(s.serviceTimeSeconds()) || s.serviceTimeSeconds() <= 0 ? t : s.serviceTimeSeconds();
    double needed = (Math.max(0, s.arrivalRate()) + Math.max(0, s.ready()) / t) * service;
    long inflight = Math.max(0, s.inflight());
    long required = Math.max(ceil(needed), inflight);
    if (required == 0 && s.ready() > 0) {
      required = 1;
    }
    int k = Math.max(1, s.perReplicaConcurrency());
    String limitedBy = null;
    long quotaCap = Math.max((long) Math.max(0, s.currentReplicas()) * k, inflight);
    if (s.quotaWaiting() && required > quotaCap) {
      required = quotaCap;
      limitedBy = LIMITED_BY_QUOTA;
    }
    long stabilized = stabilize(stage, required, nowMillis);
    if (s.quotaWaiting() && stabilized > quotaCap) {
      // An older, higher value in the window must not raise a quota-bound stage either.
      stabilized = quotaCap;
      limitedBy = LIMITED_BY_QUOTA;
    }
    int raw = (int) Math.min(Integer.MAX_VALUE, ceilDiv(required, k));
    long replicas = ceilDiv(stabilized, k);
    if (replicas > limits.maxReplicas() && limitedBy == null) {
      limitedBy = LIMITED_BY_MAX;
    }
    long clamped = Math.max(limits.minReplicas(), Math.min(limits.maxReplicas(), replicas));
    long desired = Math.max(clamped, ceilDiv(inflight, k));
    return new Decision((int) Math.min(Integer.MAX_VALUE, desired), stabilized, raw, limitedBy);
  }

  /**
   * The concurrency each of {@code instances} worker instances should have to run {@code d}'s required
   * executions, within [{@code min}, {@code max}]; a quota-bound stage does not grow past {@code current}.
   */
  public static int concurrencyPerInstance(Decision d, int instances, int current, int min, int max) {
    long perInstance = ceilDiv(d.requiredExecutions(), Math.max(1, instances));
    int bounded = (int) Math.max(min, Math.min(max, perInstance));
    return LIMITED_BY_QUOTA.equals(d.limitedBy()) && bounded > current ? Math.max(min, current) : bounded;
  }

  /** Forgets a stage's history (a stage that disappeared). */
  public void forget(String stage) {
    windows.remove(stage);
  }

  // A monotonic deque: entries are (time, value) with values strictly decreasing from head to tail, so the
  // head is the window's maximum and an entry that can never be the maximum again is dropped at once.
  private long stabilize(String stage, long value, long now) {
    ArrayDeque<long[]> w = windows.computeIfAbsent(stage, s -> new ArrayDeque<>());
    while (!w.isEmpty() && w.peekLast()[1] <= value) {
      w.pollLast();
    }
    w.addLast(new long[] {now, value});
    while (w.size() > 1 && w.peekFirst()[0] <= now - limits.stabilizationMillis()) {
      w.pollFirst();
    }
    if (w.size() > MAX_WINDOW_ENTRIES) {
      w.pollFirst();
    }
    return w.peekFirst()[1];
  }

  private static long ceil(double x) {
    // Tolerate float noise (2.0000000001 executions is 2, not 3).
    return (long) Math.ceil(x - 1e-9);
  }

  private static long ceilDiv(long a, long b) {
    return a <= 0 ? 0 : (a + b - 1) / b;
  }
}
