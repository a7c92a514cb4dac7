package io.eco2.engine;

import io.eco2.engine.api.ApiSurface;
import io.eco2.engine.api.SurfaceSetup;
import io.eco2.engine.auth.ApiAccess;
import io.eco2.engine.auth.Cors;
import io.eco2.engine.config.EngineOptions;
import io.eco2.engine.config.Mode;
import io.eco2.engine.config.Role;
import io.eco2.engine.eventlog.EventLog;
import io.eco2.engine.http.ApiErrorHandlers;
import io.eco2.engine.http.FrontDoor;
import io.eco2.engine.http.HttpServerVerticle;
import io.eco2.engine.http.OperationsRoutes;
import io.eco2.engine.http.UiRoutes;
import io.eco2.engine.http.JobApi;
import io.eco2.engine.http.ListenPort;
import io.eco2.engine.llm.LlmProvider;
import io.eco2.engine.llm.LlmProviderContext;
import io.eco2.engine.llm.openai.LlmCapacity;
import io.eco2.engine.metrics.BackendSampler;
import io.eco2.engine.metrics.PipelineMetrics;
import io.eco2.engine.plugin.Catalog;
import io.eco2.engine.plugin.Components;
import io.eco2.engine.runtime.Executions;
import io.eco2.engine.runtime.CancelWatch;
import io.eco2.engine.runtime.Drain;
import io.eco2.engine.runtime.DeliveryCounter;
import io.eco2.engine.runtime.RedisDeliveryCounter;
import io.eco2.engine.runtime.JobCancellation;
import io.eco2.engine.runtime.JobIntake;
import io.eco2.engine.runtime.JobRecorder;
import io.eco2.engine.runtime.PipelinePlan;
import io.eco2.engine.runtime.StageWorker;
import io.eco2.engine.runtime.Watchdog;
import io.eco2.engine.scaling.Scaling;
import io.eco2.engine.scaling.ScalingOptions;
import io.eco2.engine.sse.SseHub;
import io.eco2.engine.stage.Stage;
import io.eco2.engine.stage.StagePolicy;
import io.eco2.engine.stage.StageSetup;
import io.eco2.engine.transport.StageTransport;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

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
 * capability: the connections in {@code Backends}, the listening port in {@link ListenPort}, the gauges and
 * the services' state in {@link BackendSampler}, the ways to drain in {@link Drain}.
 */
public final class Engine {

  private final Vertx vertx;
  private final EngineOptions options;
  private final Role role;
  private final PipelinePlan plan;
  private final PipelineMetrics metrics;
  private final Backends backends;
  private final EventLog log;
  private final StageTransport transport;
  private final LlmProvider llm;
  private final ApiSurface surface;
  private final Catalog catalog;
  private final boolean ownHttpServer;
  private final JobIntake intake;
  private final Executions executions = new Executions();
  private final List<String> deployments = new ArrayList<>();
  private final Map<String, List<StageWorker>> workers = new LinkedHashMap<>();
  private SseHub hub;
  private Scaling scaling;
  private JobApi api;
  private UiRoutes ui;
  private ApiAccess access;
  private CancelWatch cancels;
  private Watchdog watchdog;
  private final List<String> httpDeployments = new ArrayList<>();
  private List<HttpServerVerticle> httpServers = List.of();
  private FrontDoor frontDoor;
  private HttpServerVerticle managementServer;
  private final BackendSampler sampler;

  private Engine(Vertx vertx, EngineOptions options, Role role, PipelinePlan plan, PipelineMetrics metrics,
                 Backends backends, LlmProvider llm, ApiSurface surface, Catalog catalog, boolean ownHttpServer) {
    this.vertx = vertx;
    this.options = options;
    this.role = role;
    this.plan = plan;
    this.metrics = metrics;
    this.backends = backends;
    this.log = backends.log();
    this.transport = backends.transport();
    this.llm = llm;
    this.surface = surface;
    this.catalog = catalog;
    this.ownHttpServer = ownHttpServer;
    this.sampler = new BackendSampler(vertx, metrics, plan.names(), transport::depth, List.of(log::ping, transport::ping));
    this.intake = new JobIntake(vertx, plan, surface.basePath(), transport, recorder(), log, backends.store(),
      options.getApi().submitConfirmTimeout());
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
        llm = createLlm(vertx, options, plan, backends, registry, catalog);
      } catch (RuntimeException e) {
        return backends.close().transform(x -> Future.failedFuture(e));
      }
      if (backends.log() instanceof io.eco2.engine.eventlog.memory.InMemoryEventLog memory) {
        memory.bindTo(registry);
      }
      Engine engine = new Engine(vertx, options, role, plan, metrics, backends, llm, surface, catalog, components.httpServer());
      return engine.startAll().map(v -> engine);
    });
  }

  // What the provider sizes its pools by: the LLM stages' effective policies (their own defaults included).
  private static int llmCallsInFlight(PipelinePlan plan, EngineOptions options) {
    Map<String, StagePolicy> policies = new LinkedHashMap<>();
    plan.names().forEach(n -> policies.put(n, plan.policy(n)));
    ScalingOptions scaling = options.getScaling();
    return LlmCapacity.callsInFlight(policies, scaling.llmStages(), scaling.elasticConcurrency() ? scaling.maxConcurrency() : 0);
  }

  private static LlmProvider createLlm(Vertx vertx, EngineOptions options, PipelinePlan plan, Backends backends,
                                       PrometheusMeterRegistry registry, Catalog catalog) {
    return catalog.llmProvider(options.getLlm().getProvider())
      .create(new LlmProviderContext(vertx, options.getLlm(), llmCallsInFlight(plan, options),
        backends.redis(), options.getRedis().getKeyPrefix(), registry));
  }

  private Future<Void> startAll() {
    return surface.init(new SurfaceContext())
      .recover(err -> Future.failedFuture(new IllegalStateException("api.surface: '" + surface.name() + "' failed to start: " + err.getMessage(), err)))
      .compose(v -> transport.start())
      .compose(v -> role.runsWorkers() ? llm.start() : Future.succeededFuture())
      .compose(v -> role.runsWorkers() ? initStages() : Future.succeededFuture())
      .compose(v -> role.runsWorkers() ? deployWorkers() : Future.succeededFuture())
      .compose(v -> startWatchdog())
      .compose(v -> startScaling())
      .compose(v -> startHttp())
      .onSuccess(v -> sampler.start())
      .recover(err -> close().transform(x -> Future.failedFuture(err)));
  }

  private Future<Void> initStages() {
    Future<Void> chain = Future.succeededFuture();
    for (String name : plan.names()) {
      Stage stage = plan.stage(name);
      JsonObject section = options.stage(name);
      StageSetup setup = new Setup(section);
      String origin = catalog.stageOrigin(name);
      String where = Catalog.CLASS_PATH.equals(origin) ? "" : " (" + origin + ")";
      // compose, so that an init that throws instead of failing its future is reported the same way
      chain = chain.compose(v -> Future.<Void>succeededFuture().compose(x -> stage.init(setup))
        .recover(err -> Future.failedFuture(new IllegalStateException("stage '" + name + "'" + where + " failed to start: " + err.getMessage(), err))));
    }
    return chain;
  }

  private Future<Void> deployWorkers() {
    List<Future<String>> all = new ArrayList<>();
    JobRecorder recorder = recorder();
    cancels = new CancelWatch(vertx, backends.store(), executions,
      options.getPipeline().cancelCheck());
    cancels.start();
    DeliveryCounter deliveries = backends.redis() == null ? null
      : new RedisDeliveryCounter(backends.redis(), options.getRedis().getKeyPrefix(), options.getEventLog().ttl());
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

  // Every process runs one; the lease lets one sweep at a time (see Watchdog).
  private Future<Void> startWatchdog() {
    if (options.getWatchdog().isEnabled()) {
      String holder = role + "-" + ProcessHandle.current().pid() + "-" + java.util.UUID.randomUUID();
      watchdog = new Watchdog(vertx, options.getWatchdog(), plan, log, backends.store(), backends.active(), transport,
        recorder(), metrics, holder);
      watchdog.start();
    }
    return Future.succeededFuture();
  }

  /** This process's watchdog (null when {@code watchdog.enabled} is false or before start completed). */
  public Watchdog watchdog() {
    return watchdog;
  }

  private JobRecorder recorder() {
    return new JobRecorder(log, backends.store(), plan, metrics, surface);
  }

  // The autoscaler, /scaling/v1/desired, the KEDA external scaler and worker reports (see Scaling).
  private Future<Void> startScaling() {
    return Scaling.start(vertx, options, role.runsApi(), role.runsWorkers(), plan, transport, metrics, llm.quotaLoad(),
        stage -> workers(stage).stream().map(StageWorker::consumer).filter(java.util.Objects::nonNull).toList(),
        backends.redis())
      .onSuccess(s -> scaling = s).mapEmpty();
  }

  private Future<Void> startHttp() {
    if (role.runsApi()) {
      hub = new SseHub(vertx, log, options.getSse(), metrics);
      access = ApiAccess.create(vertx, options.getAuth(), backends.store(), backends.redis(), options.getRedis().getKeyPrefix());
      api = new JobApi(options.getApi().withHttp(options.getHttp()), surface, intake, log, backends.store(), hub, sampler::servicesUp, access,
        new JobCancellation(log, backends.store()));
    }
    Future<Void> pages = role.runsApi()
      ? UiRoutes.load(vertx, options.getUi().isEnabled(), Engine.class.getClassLoader())
        .onSuccess(u -> ui = u).mapEmpty()
      : Future.succeededFuture();
    if (!ownHttpServer) {
      return pages;
    }
    frontDoor = new FrontDoor(options.getHttp().getFrontDoor(), metrics.registry());
    HttpServerOptions server = new HttpServerOptions()
      .setHost(options.getHttp().getHost())
      .setPort(options.getHttp().getPort())
      .setCompressionSupported(false);
    int instances = options.getHttp().effectiveInstances();
    return pages.compose(v -> ListenPort.resolve(vertx, server.getPort()))
      .compose(p -> deployHttp(new HttpServerOptions(server).setPort(p), instances))
      .compose(v -> startManagement(server, options.getHttp().getManagementPort())).mapEmpty();
  }

  // http.management-port: the operations routes move to a server of their own (one instance: probes and
  // scrapes are light), so the API port can be exposed without them.
  private Future<Void> startManagement(HttpServerOptions api, int port) {
    if (port < 0) {
      return Future.succeededFuture();
    }
    HttpServerVerticle server = new HttpServerVerticle(() -> {
      Router router = errorRouter();
      mountOperations(router);
      return router;
    }, new HttpServerOptions(api).setPort(port), frontDoor);
    return vertx.deployVerticle(server).map(id -> {
      httpDeployments.add(id);
      managementServer = server;
      return null;
    });
  }

  private boolean separateManagement() {
    return options.getHttp().getManagementPort() >= 0;
  }

  private Future<List<HttpServerVerticle>> deployHttp(HttpServerOptions options, int instances) {
    List<HttpServerVerticle> servers = new ArrayList<>();
    return vertx.deployVerticle(() -> {
      HttpServerVerticle v = new HttpServerVerticle(this::router, options, frontDoor);
      synchronized (servers) {
        servers.add(v);
      }
      return v;
    }, new DeploymentOptions().setInstances(instances))
      .map(id -> {
        httpDeployments.add(id);
        List<HttpServerVerticle> all = new ArrayList<>(httpServers);
        all.addAll(servers);
        httpServers = List.copyOf(all);
        return List.copyOf(servers);
      });
  }

  /** The routes of one HTTP server instance. */
  private Router router() {
    Router router = errorRouter();
    Cors.mount(router, corsOrigins());
    if (!separateManagement()) {
      mountOperations(router);
    }
    mountJobs(router);
    return router;
  }

  private List<String> corsOrigins() {
    return options.getHttp().getCorsAllowedOrigins();
  }

  private Router errorRouter() {
    Router router = Router.router(vertx);
    // Every error the server answers has the contract's JSON shape, also for unknown paths.
    ApiErrorHandlers.mount(router);
    return router;
  }

  /**
   * Adds the engine's routes to {@code router}: {@code /health/*}, {@code /metrics}, and in the api and all
   * roles {@code /scaling/v1/desired}, authentication and the API surface's job routes. The engine's own
   * HTTP server routes with exactly these (behind CORS); an application that turned it off
   * ({@link Components#setHttpServer}) mounts them on a router of its own, once per router.
   */
  public void mountRoutes(Router router) {
    mountOperations(router);
    mountJobs(router);
  }

  private void mountJobs(Router router) {
    if (api != null) {
      access.mount(router);
      api.mount(vertx, router);
      ui.mount(router);
    }
  }

  /** /health/*, /metrics and (api, all) /scaling/*: open for probes and scrapers. */
  private void mountOperations(Router router) {
    Map<String, Supplier<Future<?>>> readiness = new LinkedHashMap<>();
    readiness.put("event-log", log::ping);
    readiness.put("transport", transport::ping);
    readiness.put("intake", () -> intake.isOpen() ? Future.succeededFuture() : Future.failedFuture("draining"));
    OperationsRoutes.mount(vertx, router, (PrometheusMeterRegistry) metrics.registry(), readiness);
    if (api != null) {
      scaling.mount(router);
    }
  }


  /** The port the HTTP server listens on. */
  public int port() {
    return httpServers.isEmpty() ? -1 : httpServers.get(0).actualPort();
  }

  /** The port of the operations routes: {@code http.management-port}'s server, else {@link #port()}. */
  public int managementPort() {
    return managementServer == null ? port() : managementServer.actualPort();
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
    return executions;
  }

  /** The running worker instances of a stage. */
  public List<StageWorker> workers(String stage) {
    return List.copyOf(workers.getOrDefault(stage, List.of()));
  }

  /** Jobs accepted and not yet ended (waiting, in flight or waiting out a retry), over every stage. */
  public Future<Long> jobsInPipeline() {
    return Drain.jobsInPipeline(plan.names().stream().map(transport::depth).toList());
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
    if (hub != null) {
      hub.drain();
    }
    List<StageWorker> all = new ArrayList<>();
    workers.values().forEach(all::addAll);
    return Drain.handOver(vertx, all, executions, timeout, cutShort);
  }

  /** Closes streams, the HTTP server, the workers and the stages. The Vertx instance stays open. */
  public Future<Void> close() {
    sampler.stop();
    if (cancels != null) {
      cancels.stop();
    }
    if (watchdog != null) {
      watchdog.stop();
    }
    intake.close();
    // Whatever still runs is handed over (requeued) rather than awaited: closing must not wait out a timeout.
    executions.cancelAll(Executions.handover());
    Future<Void> f = hub == null ? Future.succeededFuture() : hub.close();
    for (String id : httpDeployments) {
      f = f.compose(v -> vertx.undeploy(id).recover(err -> Future.succeededFuture()));
    }
    if (scaling != null) {
      Scaling sc = scaling;
      f = f.compose(v -> sc.close());
    }
    for (String id : deployments) {
      f = f.compose(v -> vertx.undeploy(id).recover(err -> Future.succeededFuture()));
    }
    for (String name : plan.names()) {
      f = f.compose(v -> plan.stage(name).close().recover(err -> Future.succeededFuture()));
    }
    if (access != null) {
      ApiAccess a = access;
      f = f.compose(v -> a.close());
    }
    return f.compose(v -> llm.close())
      .compose(v -> surface.close().recover(err -> Future.succeededFuture()))
      .compose(v -> backends.close())
      .onComplete(ar -> catalog.close());
  }

  private final class SurfaceContext implements SurfaceSetup {
    @Override
    public Vertx vertx() {
      return vertx;
    }

    @Override
    public EngineOptions options() {
      return new EngineOptions(options);
    }
  }

  /** The configuration this engine started with. */
  public EngineOptions options() {
    return options;
  }

  private final class Setup implements StageSetup {
    private final JsonObject section;

    Setup(JsonObject section) {
      this.section = section;
    }

    @Override
    public Vertx vertx() {
      return vertx;
    }

    @Override
    public JsonObject config() {
      return section;
    }

    @Override
    public LlmProvider llm() {
      return llm;
    }

    @Override
    @Deprecated
    public JsonObject engineConfig() {
      return options.toJson();
    }
  }
}
