package io.eco2.engine.http.impl;

import io.eco2.engine.api.ApiSurface;
import io.eco2.engine.auth.ApiAccess;
import io.eco2.engine.auth.Cors;
import io.eco2.engine.config.EngineOptions;
import io.eco2.engine.eventlog.EventLog;
import io.eco2.engine.eventlog.JobStore;
import io.eco2.engine.http.ApiErrorHandlers;
import io.eco2.engine.http.JobApi;
import io.eco2.engine.http.OperationsRoutes;
import io.eco2.engine.http.UiRoutes;
import io.eco2.engine.metrics.PipelineMetrics;
import io.eco2.engine.runtime.JobCancellation;
import io.eco2.engine.runtime.JobIntake;
import io.eco2.engine.scaling.Scaling;
import io.eco2.engine.sse.SseHub;
import io.eco2.engine.transport.StageTransport;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.redis.client.Redis;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The engine's routes and what serves them: the operations routes ({@code /health/*}, {@code /metrics},
 * {@code /scaling/v1/desired}) and, in the api and all roles, authentication, the SSE hub, the API
 * surface's job routes and the UI pages. It builds the routers of the engine's own servers
 * ({@link ApiServers}) and mounts the same routes on an application's router
 * ({@link #mountRoutes(Router)}). Internal to the engine.
 */
public final class EngineRoutes {

  private final Vertx vertx;
  private final EngineOptions options;
  private final PipelineMetrics metrics;
  private final EventLog log;
  private final JobStore store;
  private final Redis redis;
  private final StageTransport transport;
  private final JobIntake intake;
  private final ApiSurface surface;
  private final BooleanSupplier servicesUp;
  private SseHub hub;
  private Scaling scaling;
  private JobApi api;
  private UiRoutes ui;
  private ApiAccess access;

  /**
   * @param redis the process's Redis command client (ownership, user rate limits), or null in embedded mode
   * @param servicesUp whether the event log and the transport answer (the job API's readiness)
   */
  public EngineRoutes(Vertx vertx, EngineOptions options, PipelineMetrics metrics, EventLog log, JobStore store,
                      Redis redis, StageTransport transport, JobIntake intake, ApiSurface surface, BooleanSupplier servicesUp) {
    this.vertx = vertx;
    this.options = options;
    this.metrics = metrics;
    this.log = log;
    this.store = store;
    this.redis = redis;
    this.transport = transport;
    this.intake = intake;
    this.surface = surface;
    this.servicesUp = servicesUp;
  }

  /**
   * Creates, in the api and all roles, the SSE hub, the authentication and the job API, and loads the UI
   * pages (off the event loop); {@code scaling} serves {@code /scaling/v1/desired} there.
   */
  public Future<Void> start(Scaling scaling) {
    this.scaling = scaling;
    if (options.getRole().runsApi()) {
      hub = new SseHub(vertx, log, options.getSse(), metrics);
      access = ApiAccess.create(vertx, options.getAuth(), store, redis, options.getRedis().getKeyPrefix());
      api = new JobApi(options.getApi().withHttp(options.getHttp()), surface, intake, log, store, hub, servicesUp, access,
        new JobCancellation(log, store));
    }
    return options.getRole().runsApi()
      ? UiRoutes.load(vertx, options.getUi().isEnabled(), EngineRoutes.class.getClassLoader())
        .onSuccess(u -> ui = u).mapEmpty()
      : Future.succeededFuture();
  }

  /** The routes of one API server instance: errors, CORS, the operations routes (unless on their own port), the jobs. */
  public Router apiRouter() {
    Router router = errorRouter();
    Cors.mount(router, options.getHttp().getCorsAllowedOrigins());
    if (options.getHttp().getManagementPort() < 0) {
      mountOperations(router);
    }
    mountJobs(router);
    return router;
  }

  /** The routes of the {@code http.management-port} server: errors and the operations routes. */
  public Router managementRouter() {
    Router router = errorRouter();
    mountOperations(router);
    return router;
  }

  private Router errorRouter() {
    Router router = Router.router(vertx);
    // Every error the server answers has the contract's JSON shape, also for unknown paths.
    ApiErrorHandlers.mount(router);
    return router;
  }

  /** The operations routes, then the job routes (see {@code Engine#mountRoutes}). */
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

  /** Ends this instance's SSE streams so that their clients resume on another API instance (a drain). */
  public void drainStreams() {
    if (hub != null) {
      hub.drain();
    }
  }

  /** Closes the SSE streams (at once, when there are none). */
  public Future<Void> closeStreams() {
    return hub == null ? Future.succeededFuture() : hub.close();
  }

  /** After {@code previous}: closes the authentication (its key sources and limits), when it started. */
  public Future<Void> closeAccess(Future<Void> previous) {
    if (access == null) {
      return previous;
    }
    ApiAccess a = access;
    return previous.compose(v -> a.close());
  }
}
