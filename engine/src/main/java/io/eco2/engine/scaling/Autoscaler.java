package io.eco2.engine.scaling;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The autoscaler: every {@code scaling.interval-ms} it observes each stage (arrival rate, service time,
 * ready backlog, in-flight work over every worker, LLM quota waits), asks the {@link ReplicaCalculator}
 * how many worker replicas the stage needs, and publishes the result as a {@link ScalingView}: to the
 * gauges, to {@code GET /scaling/v1/desired}, to the KEDA external scaler's listeners and, in embedded
 * mode with elasticity on, to each stage's concurrency.
 *
 * <p>Runs in the api and all roles (the api role is always on, so it can answer while workers are at
 * zero). One observation at a time: a tick that finds the previous one unfinished is skipped, so a slow
 * Redis or broker never piles up requests.
 */
public final class Autoscaler extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(Autoscaler.class.getName());
  /** Listeners at most (gRPC streams register one each); more are refused. */
  static final int MAX_LISTENERS = 64;

  private final List<String> stages;
  private final ScalingOptions options;
  private final SignalSource source;
  private final ScalingMetrics meters;
  private final Elasticity elasticity;
  private final ReplicaCalculator calculator;
  private final Map<String, StageTracker> trackers = new LinkedHashMap<>();
  private final List<Consumer<ScalingView>> listeners = new CopyOnWriteArrayList<>();
  private volatile ScalingView view;
  private long timer = -1;
  private boolean observing;
  private boolean failing;

  Autoscaler(List<String> stages, ScalingOptions options, SignalSource source, ScalingMetrics meters, Elasticity elasticity) {
    this.stages = List.copyOf(stages);
    this.options = options;
    this.source = source;
    this.meters = meters;
    this.elasticity = elasticity;
    this.calculator = new ReplicaCalculator(options.limits());
    stages.forEach(s -> trackers.put(s, new StageTracker(options.window().toMillis())));
    Map<String, ScalingView.Stage> empty = new LinkedHashMap<>();
    stages.forEach(s -> empty.put(s, new ScalingView.Stage(options.minReplicas(), 0, 0, 0, Double.NaN, Double.NaN, 0, null)));
    this.view = new ScalingView(Map.copyOf(empty), options.minReplicas(), 0, System.currentTimeMillis());
  }

  /** The latest decisions (before the first observation: every stage at its minimum). */
  public ScalingView view() {
    return view;
  }

  /**
   * Calls {@code listener} after every decision (on the autoscaler's context) until removed.
   *
   * @return false when {@link #MAX_LISTENERS} are registered already
   */
  public boolean addListener(Consumer<ScalingView> listener) {
    if (listeners.size() >= MAX_LISTENERS) {
      return false;
    }
    listeners.add(listener);
    return true;
  }

  public void removeListener(Consumer<ScalingView> listener) {
    listeners.remove(listener);
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(options.interval().toMillis(), id -> tick());
    return tickNow();
  }

  private void tick() {
    if (!observing) {
      tickNow();
    }
  }

  private Future<Void> tickNow() {
    observing = true;
    return source.observe().map(obs -> {
      decide(obs, System.currentTimeMillis());
      return (Void) null;
    }).onComplete(ar -> {
      observing = false;
      if (ar.failed() != failing) {
        failing = ar.failed();
        LOG.log(failing ? System.Logger.Level.WARNING : System.Logger.Level.INFO, failing
          ? "autoscaler cannot observe the stages, keeping its last decision: " + ar.cause() : "autoscaler observing again");
      }
    }).recover(err -> Future.succeededFuture());
  }

  private void decide(Map<String, StageObservation> observations, long now) {
    Map<String, ScalingView.Stage> out = new LinkedHashMap<>();
    int workers = 0;
    int current = 0;
    for (String s : stages) {
      StageObservation o = observations.get(s);
      if (o == null) {
        continue;
      }
      StageTracker.Rates r = trackers.get(s).add(o, now);
      ReplicaCalculator.Decision d = calculator.decide(s, new ReplicaCalculator.StageSample(r.arrivalRate(),
        r.serviceSeconds(), o.ready(), o.inflight(), o.perReplicaConcurrency(), o.currentReplicas(), r.quotaWaiting()), now);
      if (elasticity != null) {
        elasticity.apply(s, d);
      }
      out.put(s, new ScalingView.Stage(d.desiredReplicas(), o.ready(), o.inflight(), r.arrivalRate(), o.p50Millis(),
        r.serviceSeconds() * 1000, d.requiredExecutions(), d.limitedBy()));
      workers = Math.max(workers, d.desiredReplicas());
      current = Math.max(current, o.currentReplicas());
    }
    ScalingView next = new ScalingView(java.util.Collections.unmodifiableMap(out), workers, current, now);
    view = next;
    meters.update(next);
    for (Consumer<ScalingView> l : listeners) {
      try {
        l.accept(next);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "scaling listener failed", e);
      }
    }
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    listeners.clear();
    meters.close();
    return source.close();
  }
}
