package io.eco2.tests.scaling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Replays a load profile through a model of KEDA and the HPA and compares two scaling policies: the
 * original system's (KEDA's AMQP trigger on ready queue length, threshold 10 per queue) and ours (the
 * engine's {@link io.eco2.engine.scaling.ReplicaCalculator} through the external scaler, pods draining on
 * SIGTERM). A time-stepped simulation (0.1 s) of closed-loop users, per-stage queues, pods with start-up
 * delay, per-pod concurrency and prefetch, and the HPA's sync period, tolerance, scale-up policy and
 * scale-down stabilization; deterministic for a seed.
 *
 * <p>{@code java -cp tests/target/classes:engine/target/classes io.eco2.tests.scaling.ScalingSimulator
 * [--users 50,250,1000] [--hold 120] [--concurrency 100] [--seed 42]} prints a markdown table.
 */
public final class ScalingSimulator {

  static final double DT = 0.1;
  /** After the load ends the run goes on this long, so that scale-down (and its cost) is seen. */
  static final double TAIL_SECONDS = 360;

  /** What one policy achieved. */
  public record Result(String policy, int users, long completed, long lost, double p95QueueSeconds,
                       long podsKilledBusy, double podMinutes, int peakPods) {
  }

  private ScalingSimulator() {
  }

  public static Result run(SimConfig config, Policy policy) {
    Random random = new Random(config.seed());
    Cluster cluster = new Cluster(config, !policy.drains(), random);
    Hpa hpa = new Hpa(config, policy.hpaScaleDownSeconds(config));
    for (int i = 0; i < config.minReplicas(); i++) {
      cluster.addPod(-config.startupSeconds());
    }
    int n = config.users();
    Cluster.Job[] pending = new Cluster.Job[n];
    double[] next = new double[n];
    for (int u = 0; u < n; u++) {
      next[u] = config.rampSeconds() * u / n;
    }
    List<Double> queueTimes = new ArrayList<>();
    long[] completed = {0};
    double metric = config.minReplicas();
    int peak = cluster.pods();
    double end = config.loadEnd() + TAIL_SECONDS;
    long steps = Math.round(end / DT);
    for (long step = 0; step <= steps; step++) {
      double now = step * DT;
      for (int u = 0; u < n; u++) {
        double stop = config.rampSeconds() + config.holdSeconds() + config.rampSeconds() * (n - u) / n;
        Cluster.Job j = pending[u];
        if (j != null && j.lost && now - j.submitted >= config.giveUpSeconds()) {
          pending[u] = null;
          next[u] = now + config.thinkSeconds();
        }
        if (pending[u] == null && now >= next[u] && now < stop) {
          pending[u] = new Cluster.Job(u, now);
          cluster.submit(pending[u], now);
        }
      }
      final double t = now;
      cluster.step(now, DT, job -> {
        completed[0]++;
        queueTimes.add(job.queueSeconds);
        pending[job.user] = null;
        next[job.user] = t + config.thinkSeconds();
      });
      if (step % Math.round(1 / DT) == 0) {
        metric = policy.desiredReplicas(cluster, now);
      }
      boolean active = Arrays.stream(new int[] {0, 1, 2, 3}).anyMatch(s -> cluster.ready(s) + cluster.inflight(s) > 0);
      if (cluster.pods() == 0 && active && (policy.pushesActivation() || step % Math.round(config.pollingSeconds() / DT) == 0)) {
        cluster.addPod(now);
      }
      if (step % Math.round(config.hpaSyncSeconds() / DT) == 0) {
        int current = cluster.pods();
        int target = hpa.sync(now, current, metric);
        for (int i = current; i < target; i++) {
          cluster.addPod(now);
        }
        for (int i = target; i < current; i++) {
          cluster.removePod(now, policy.drains());
        }
      }
      peak = Math.max(peak, cluster.pods());
    }
    double[] sorted = queueTimes.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double p95 = sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)];
    return new Result(policy.name(), n, completed[0], cluster.jobsLost, p95, cluster.podsKilledBusy, cluster.podSeconds / 60, peak);
  }

  /** Both policies for each user count. */
  public static List<Result> compare(int[] users, java.util.function.IntFunction<SimConfig> config) {
    List<Result> out = new ArrayList<>();
    for (int u : users) {
      SimConfig c = config.apply(u);
      out.add(run(c, new Policy.AmqpQueueLength()));
      out.add(run(c, new Policy.LittlesLaw(c)));
    }
    return out;
  }

  public static String table(List<Result> results) {
    StringBuilder sb = new StringBuilder();
    sb.append("| users | policy | jobs completed | jobs lost | p95 time in queue | pods killed while busy | pod-minutes | peak pods |\n");
    sb.append("|---:|---|---:|---:|---:|---:|---:|---:|\n");
    for (Result r : results) {
      sb.append(String.format(Locale.ROOT, "| %d | %s | %d | %d | %.1f s | %d | %.1f | %d |%n", r.users(), r.policy(),
        r.completed(), r.lost(), r.p95QueueSeconds(), r.podsKilledBusy(), r.podMinutes(), r.peakPods()));
    }
    return sb.toString();
  }

  public static void main(String[] args) {
    int[] users = {50, 250, 1000};
    double hold = SimConfig.defaults(1).holdSeconds();
    int concurrency = 100;
    long seed = 42;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--users" -> users = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
        case "--hold" -> hold = Double.parseDouble(args[i + 1]);
        case "--concurrency" -> concurrency = Integer.parseInt(args[i + 1]);
        case "--seed" -> seed = Long.parseLong(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]
          + " (options: --users N,N,... --hold SECONDS --concurrency N --seed N)");
      }
    }
    double h = hold;
    int c = concurrency;
    long s = seed;
    System.out.print(table(compare(users, u -> {
      SimConfig d = SimConfig.defaults(u);
      return new SimConfig(u, d.rampSeconds(), h, d.thinkSeconds(), d.giveUpSeconds(), c, c, d.startupSeconds(),
        d.minReplicas(), d.maxReplicas(), d.pollingSeconds(), d.hpaSyncSeconds(), d.scaleDownStabilizationSeconds(),
        d.graceSeconds(), s);
    })));
  }
}
