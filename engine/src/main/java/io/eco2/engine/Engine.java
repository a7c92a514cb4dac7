package io.eco2.engine;

import io.eco2.engine.api.ApiSurface;
import io.eco2.engine.api.impl.SurfaceSetupImpl;
import io.eco2.engine.config.EngineOptions;
import io.eco2.engine.config.Mode;
import io.eco2.engine.config.Role;
import io.eco2.engine.http.impl.ApiServers;
import io.eco2.engine.http.impl.EngineRoutes;
import io.eco2.engine.llm.LlmProvider;
import io.eco2.engine.llm.impl.LlmProviders;
import io.eco2.engine.metrics.BackendSampler;
import io.eco2.engine.metrics.PipelineMetrics;
import io.eco2.engine.plugin.Catalog;
import io.eco2.engine.plugin.Components;
import io.eco2.engine.runtime.Drain;
import io.eco2.engine.runtime.Executions;
import io.eco2.engine.runtime.JobIntake;
import io.eco2.engine.runtime.PipelinePlan;
import io.eco2.engine.runtime.StageWorker;
import io.eco2.engine.runtime.Watchdog;
import io.eco2.engine.runtime.impl.StageRuntime;
import io.eco2.engine.scaling.Scaling;
import io.eco2.engine.transport.StageTransport;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A running pipeline engine: the stages of {@code pipeline.stages} as worker verticles, the event log, and
 * the job API of an {@link ApiSurface} (the one {@code api.surface} names) with SSE, wired as the
 * configuration says.
 *
 * <p>{@link #start} takes a validated configuration (see {@code conf/application.yaml}) and fails with an
 * {@link IllegalArgumentException} naming the key when something in it cannot work. {@link #drain} stops
 * intake and waits for accepted jobs to end; {@link #close} releases everything but the Vertx instance.
 *
 * <p>This class keeps the order in which the parts start and close; what each part does lives with its
 * capability: the connections in {@code Backends}, the stages and their workers in {@link StageRuntime},
 * the routes in {@link EngineRoutes} and the servers that serve them in {@link ApiServers}, the gauges and
 * the services' state in {@link BackendSampler}, the ways to drain in {@link Drain}.
 */
public final class Engine {

  private final Vertx vertx;
  private final EngineOptions options;
  private final Role role;
  private final PipelinePlan plan;
  private final PipelineMetrics metrics;
  private final Backends backends;
  private final LlmProvider llm;
  private final ApiSurface surface;
  private final Catalog catalog;
  private final StageRuntime runtime;
  private final JobIntake intake;
  private final EngineRoutes routes;
  private final ApiServers servers;
  private final BackendSampler sampler;
  private Scaling scaling;

  private Engine(Vertx vertx, EngineOptions options, PipelinePlan plan, PipelineMetrics metrics,
                 Backends backends, LlmProvider llm, ApiSurface surface, Catalog catalog, boolean ownHttpServer) {
    this.vertx = vertx;
    this.options = options;
    this.role = options.getRole();
    this.plan = plan;
    this.metrics = metrics;
    this.backends = backends;
    this.llm = llm;
    this.surface = surface;
    this.catalog = catalog;
    StageTransport transport = backends.transport();
    this.runtime = new StageRuntime(vertx, options, plan, catalog, llm, metrics, backends.log(), backends.store(),
      backends.active(), transport, backends.redis(), surface);
    this.sampler = new BackendSampler(vertx, metrics, plan.names(), transport::depth, List.of(backends.log()::ping, transport::ping));
    this.intake = new JobIntake(vertx, plan, surface.basePath(), transport, runtime.recorder(), backends.log(), backends.store(),
      options.getApi().submitConfirmTimeout());
    this.routes = new EngineRoutes(vertx, options, metrics, backends.log(), backends.store(), backends.redis(), transport,
      intake, surface, sampler::servicesUp);
    this.servers = new ApiServers(vertx, ownHttpServer, options.getHttp(), metrics.registry(), routes);
  }

  /**
   * Starts an engine on {@code vertx} with the components of the class path and {@code plugins.dir}; the
   * meters go to {@code registry}. Fails with an {@link IllegalArgumentException} naming the key (or the
   * plugin jar) when the configuration cannot work.
   */
  public static Future<Engine> start(Vertx vertx, EngineOptions options, PrometheusMeterRegistry registry) {
    return start(vertx, options, registry, new Components());
  }

  /**
   * Starts an engine from a configuration tree as {@link io.eco2.engine.config.ConfigLoader#load} returns it.
   *
   * @deprecated take {@link io.eco2.engine.config.ConfigLoader#loadOptions} and {@link #start(Vertx, EngineOptions, PrometheusMeterRegistry)}
   */
  @Deprecated
  public static Future<Engine> start(Vertx vertx, JsonObject config, PrometheusMeterRegistry registry) {
    return start(vertx, config, registry, new Components());
  }

  /**
   * {@link #start(Vertx, EngineOptions, PrometheusMeterRegistry, Components)} from a configuration tree.
   *
   * @deprecated take {@link io.eco2.engine.config.ConfigLoader#loadOptions}
   */
  @Deprecated
  public static Future<Engine> start(Vertx vertx, JsonObject config, PrometheusMeterRegistry registry, Components components) {
    EngineOptions options;
    try {
      options = new EngineOptions(config);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return start(vertx, options, registry, components);
  }

  /**
   * Starts an engine with {@code components} given in code besides those of the class path and
   * {@code plugins.dir} (an application embedding the engine).
   */
  public static Future<Engine> start(Vertx vertx, EngineOptions options, PrometheusMeterRegistry registry, Components components) {
    Path pluginsDir = Path.of(options.getPlugins().getDir());
    // Opening jars and loading classes blocks: never on the caller's event loop.
    return vertx.executeBlocking(() -> Catalog.assemble(components, Engine.class.getClassLoader(), pluginsDir))
      .compose(catalog -> start(vertx, options, registry, components, catalog)
        .onFailure(err -> catalog.close()));
  }

  private static Future<Engine> start(Vertx vertx, EngineOptions options, PrometheusMeterRegistry registry,
                                      Components components, Catalog catalog) {
    Role role = options.getRole();
    PipelinePlan plan;
    ApiSurface surface;
    try {
      if (role != Role.ALL && options.getMode() == Mode.EMBEDDED) {
        throw new IllegalArgumentException("role: '" + role + "' needs mode: distributed (embedded mode runs every stage in one process)");
      }
      plan = PipelinePlan.load(options.getPipeline().getStages(), options.getStages(), catalog.stages());
      surface = catalog.surface(options.getApi().surface());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    PipelineMetrics metrics = new PipelineMetrics(registry);
    plan.names().forEach(metrics::registerStage);
    return Backends.create(vertx, options, plan).compose(backends -> {
      LlmProvider llm;
      try {
        llm = LlmProviders.create(vertx, options, plan, backends.redis(), registry, catalog);
      } catch (RuntimeException e) {
        return backends.close().transform(x -> Future.failedFuture(e));
      }
      if (backends.log() instanceof io.eco2.engine.eventlog.memory.InMemoryEventLog memory) {
        memory.bindTo(registry);
      }
      Engine engine = new Engine(vertx, options, plan, metrics, backends, llm, surface, catalog, components.httpServer());
      return engine.startAll().map(v -> engine);
    });
  }

  private Future<Void> startAll() {
    return surface.init(new SurfaceSetupImpl(vertx, options))
      .recover(err -> Future.failedFuture(new IllegalStateException("api.surface: '" + surface.name() + "' failed to start: " + err.getMessage(), err)))
      .compose(v -> backends.transport().start())
      .compose(v -> role.runsWorkers() ? llm.start() : Future.succeededFuture())
      .compose(v -> role.runsWorkers() ? runtime.initStages() : Future.succeededFuture())
      .compose(v -> role.runsWorkers() ? runtime.deployWorkers() : Future.succeededFuture())
      .compose(v -> runtime.startWatchdog())
      .compose(v -> startScaling())
      .compose(v -> routes.start(scaling))
      .compose(v -> servers.start())
      .onSuccess(v -> sampler.start())
      .recover(err -> close().transform(x -> Future.failedFuture(err)));
  }

  /** This process's watchdog (null when {@code watchdog.enabled} is false or before start completed). */
  public Watchdog watchdog() {
    return runtime.watchdog();
  }

  // The autoscaler, /scaling/v1/desired, the KEDA external scaler and worker reports (see Scaling).
  private Future<Void> startScaling() {
    return Scaling.start(vertx, options, role.runsApi(), role.runsWorkers(), plan, backends.transport(), metrics, llm.quotaLoad(),
        runtime::consumers, backends.redis())
      .onSuccess(s -> scaling = s).mapEmpty();
  }

  /**
   * Adds the engine's routes to {@code router}: {@code /health/*}, {@code /metrics}, and in the api and all
   * roles {@code /scaling/v1/desired}, authentication and the API surface's job routes. The engine's own
   * HTTP server routes with exactly these (behind CORS); an application that turned it off
   * ({@link Components#setHttpServer}) mounts them on a router of its own, once per router.
   */
  public void mountRoutes(Router router) {
    routes.mountRoutes(router);
  }

  /** The port the HTTP server listens on. */
  public int port() {
    return servers.port();
  }

  /** The port of the operations routes: {@code http.management-port}'s server, else {@link #port()}. */
  public int managementPort() {
    return servers.managementPort();
  }

  public Role role() {
    return role;
  }

  public PipelinePlan plan() {
    return plan;
  }

  public PipelineMetrics metrics() {
    return metrics;
  }

  /** The autoscaler and KEDA scaler of this engine (null before start completed). */
  public Scaling scaling() {
    return scaling;
  }

  /** The stage executions in flight in this process (shutdown and job cancellation reach them here). */
  public Executions executions() {
    return runtime.executions();
  }

  /** The running worker instances of a stage. */
  public List<StageWorker> workers(String stage) {
    return runtime.workers(stage);
  }

  /** Jobs accepted and not yet ended (waiting, in flight or waiting out a retry), over every stage. */
  public Future<Long> jobsInPipeline() {
    return Drain.jobsInPipeline(plan.names().stream().map(backends.transport()::depth).toList());
  }

  /**
   * Stops accepting jobs (submit answers 503 {@code NOT_READY}, readiness goes down) and hands work over:
   * see {@link #drain(Duration, Future)}, never cut short.
   */
  public Future<Long> drain(Duration timeout) {
    return drain(timeout, Promise.<Void>promise().future());
  }

  /**
   * Stops accepting jobs (submit answers 503 {@code NOT_READY}, readiness goes down first), then:
   * <ul>
   *   <li>embedded mode: waits until every accepted job has ended (nothing else could run them);</li>
   *   <li>distributed mode: ends this instance's SSE streams so their clients resume on another API at once,
   *       stops the workers' consumers (no new deliveries), lets the attempts in flight finish, and when
   *       {@code timeout} passes (or {@code cutShort} completes: a second signal) cancels the rest through
   *       {@link io.eco2.engine.stage.StageContext#cancelled()} and requeues each for another worker at once,
   *       not counted as a failed attempt.</li>
   * </ul>
   *
   * @return the jobs still unfinished (embedded) or attempts handed over (distributed) when it returned
   */
  public Future<Long> drain(Duration timeout, Future<Void> cutShort) {
    intake.close();
    if (options.getMode() == Mode.EMBEDDED) {
      return Drain.untilEmpty(vertx, this::jobsInPipeline, timeout, cutShort);
    }
    routes.drainStreams();
    return Drain.handOver(vertx, runtime.allWorkers(), runtime.executions(), timeout, cutShort);
  }

  /** Closes streams, the HTTP server, the workers and the stages. The Vertx instance stays open. */
  public Future<Void> close() {
    sampler.stop();
    runtime.stopWatches();
    intake.close();
    // Whatever still runs is handed over (requeued) rather than awaited: closing must not wait out a timeout.
    runtime.executions().cancelAll(Executions.handover());
    Future<Void> f = servers.close(routes.closeStreams());
    if (scaling != null) {
      Scaling sc = scaling;
      f = f.compose(v -> sc.close());
    }
    f = runtime.close(f);
    f = routes.closeAccess(f);
    return f.compose(v -> llm.close())
      .compose(v -> surface.close().recover(err -> Future.succeededFuture()))
      .compose(v -> backends.close())
      .onComplete(ar -> catalog.close());
  }

  /** The configuration this engine started with. */
  public EngineOptions options() {
    return options;
  }
}
