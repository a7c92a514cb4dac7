package io.eco2.engine.runtime.impl;

import io.eco2.engine.api.ApiSurface;
import io.eco2.engine.config.EngineOptions;
import io.eco2.engine.eventlog.ActiveJobs;
import io.eco2.engine.eventlog.EventLog;
import io.eco2.engine.eventlog.JobStore;
import io.eco2.engine.llm.LlmProvider;
import io.eco2.engine.metrics.PipelineMetrics;
import io.eco2.engine.plugin.Catalog;
import io.eco2.engine.runtime.CancelWatch;
import io.eco2.engine.runtime.DeliveryCounter;
import io.eco2.engine.runtime.Executions;
import io.eco2.engine.runtime.JobRecorder;
import io.eco2.engine.runtime.PipelinePlan;
import io.eco2.engine.runtime.RedisDeliveryCounter;
import io.eco2.engine.runtime.StageWorker;
import io.eco2.engine.runtime.Watchdog;
import io.eco2.engine.stage.Stage;
import io.eco2.engine.stage.StageSetup;
import io.eco2.engine.transport.StageConsumer;
import io.eco2.engine.transport.StageTransport;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The stage runtime of one process: it initialises the stages of the plan (each with its own section, see
 * {@link StageSetupImpl}), deploys their worker verticles with the cancel watch that reaches their
 * executions, runs the watchdog, and undeploys and closes them again. Each step runs when the engine calls
 * it, in the engine's start and close order; the only order kept here is workers undeployed before their
 * stages close. Internal to the engine.
 */
public final class StageRuntime {

  private final Vertx vertx;
  private final EngineOptions options;
  private final PipelinePlan plan;
  private final Catalog catalog;
  private final LlmProvider llm;
  private final PipelineMetrics metrics;
  private final EventLog log;
  private final JobStore store;
  private final ActiveJobs active;
  private final StageTransport transport;
  private final Redis redis;
  private final ApiSurface surface;
  private final Executions executions = new Executions();
  private final List<String> deployments = new ArrayList<>();
  private final Map<String, List<StageWorker>> workers = new LinkedHashMap<>();
  private CancelWatch cancels;
  private Watchdog watchdog;

  /**
   * @param redis the process's Redis command client (delivery counts), or null in embedded mode
   * @param active the jobs not ended, beside the log (the watchdog's)
   */
  public StageRuntime(Vertx vertx, EngineOptions options, PipelinePlan plan, Catalog catalog, LlmProvider llm,
                      PipelineMetrics metrics, EventLog log, JobStore store, ActiveJobs active, StageTransport transport,
                      Redis redis, ApiSurface surface) {
    this.vertx = vertx;
    this.options = options;
    this.plan = plan;
    this.catalog = catalog;
    this.llm = llm;
    this.metrics = metrics;
    this.log = log;
    this.store = store;
    this.active = active;
    this.transport = transport;
    this.redis = redis;
    this.surface = surface;
  }

  /** A recorder of job transitions (a new one on each call, as each user had its own). */
  public JobRecorder recorder() {
    return new JobRecorder(log, store, plan, metrics, surface);
  }

  /**
   * Calls each stage's {@link Stage#init} in pipeline order, one after the other; the first that fails fails
   * the whole with a message naming the stage (and its plugin jar).
   */
  public Future<Void> initStages() {
    Future<Void> chain = Future.succeededFuture();
    for (String name : plan.names()) {
      Stage stage = plan.stage(name);
      JsonObject section = options.stage(name);
      StageSetup setup = new StageSetupImpl(vertx, section, llm, options);
      String origin = catalog.stageOrigin(name);
      String where = Catalog.CLASS_PATH.equals(origin) ? "" : " (" + origin + ")";
      // compose, so that an init that throws instead of failing its future is reported the same way
      chain = chain.compose(v -> Future.<Void>succeededFuture().compose(x -> stage.init(setup))
        .recover(err -> Future.failedFuture(new IllegalStateException("stage '" + name + "'" + where + " failed to start: " + err.getMessage(), err))));
    }
    return chain;
  }

  /** Starts the cancel watch, then deploys each stage's workers ({@code instances} of them). */
  public Future<Void> deployWorkers() {
    List<Future<String>> all = new ArrayList<>();
    JobRecorder recorder = recorder();
    cancels = new CancelWatch(vertx, store, executions,
      options.getPipeline().cancelCheck());
    cancels.start();
    DeliveryCounter deliveries = redis == null ? null
      : new RedisDeliveryCounter(redis, options.getRedis().getKeyPrefix(), options.getEventLog().ttl());
    for (String name : plan.names()) {
      List<StageWorker> list = new ArrayList<>();
      workers.put(name, list);
      Supplier<StageWorker> factory = () -> {
        StageWorker w = new StageWorker(name, plan, transport, recorder, metrics, executions, cancels, deliveries);
        synchronized (list) {
          list.add(w);
        }
        return w;
      };
      all.add(vertx.deployVerticle(factory::get, new DeploymentOptions().setInstances(plan.policy(name).instances()))
        .onSuccess(deployments::add));
    }
    return Future.all(all).mapEmpty();
  }

  /** Starts the watchdog when {@code watchdog.enabled}: every process runs one; the lease lets one sweep at a time (see Watchdog). */
  public Future<Void> startWatchdog() {
    if (options.getWatchdog().isEnabled()) {
      String holder = options.getRole() + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID();
      watchdog = new Watchdog(vertx, options.getWatchdog(), plan, log, store, active, transport,
        recorder(), metrics, holder);
      watchdog.start();
    }
    return Future.succeededFuture();
  }

  /** This process's watchdog (null when {@code watchdog.enabled} is false or before it started). */
  public Watchdog watchdog() {
    return watchdog;
  }

  /** The stage executions in flight in this process. */
  public Executions executions() {
    return executions;
  }

  /** The running worker instances of a stage. */
  public List<StageWorker> workers(String stage) {
    return List.copyOf(workers.getOrDefault(stage, List.of()));
  }

  /** Every running worker instance, stage after stage. */
  public List<StageWorker> allWorkers() {
    List<StageWorker> all = new ArrayList<>();
    workers.values().forEach(all::addAll);
    return all;
  }

  /** The running consumers of a stage's workers (what the autoscaler reads; empty where no workers run). */
  public List<StageConsumer> consumers(String stage) {
    return workers(stage).stream().map(StageWorker::consumer).filter(Objects::nonNull).toList();
  }

  /** Stops the timers: the cancel watch, then the watchdog (those that started). */
  public void stopWatches() {
    if (cancels != null) {
      cancels.stop();
    }
    if (watchdog != null) {
      watchdog.stop();
    }
  }

  /**
   * After {@code previous}: undeploys the worker deployments made by now, then closes every stage of the
   * plan; failures are ignored, so that one that cannot close does not keep the rest open.
   */
  public Future<Void> close(Future<Void> previous) {
    Future<Void> f = previous;
    for (String id : deployments) {
      f = f.compose(v -> vertx.undeploy(id).recover(err -> Future.succeededFuture()));
    }
    for (String name : plan.names()) {
      f = f.compose(v -> plan.stage(name).close().recover(err -> Future.succeededFuture()));
    }
    return f;
  }
}
