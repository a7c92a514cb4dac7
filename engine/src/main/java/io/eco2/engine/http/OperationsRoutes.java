package io.eco2.engine.http;

import io.eco2.engine.EngineVersion;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /health/live}, {@code /health/ready} and {@code /metrics}, served by every role.
 *
 * <p>Liveness only says the event loop answers, and names the version ({@link EngineVersion#current()}). Readiness runs one check per backing service (each a
 * future that fails when the service is unreachable) and answers 503 when any fails.
 */
public final class OperationsRoutes {

  private OperationsRoutes() {
  }

  /**
   * @param readiness named checks; each supplier returns a future that fails when its service is unusable
   */
  public static void mount(Vertx vertx, Router router, PrometheusMeterRegistry registry,
                           Map<String, Supplier<Future<?>>> readiness) {
    router.get("/health/live").handler(ctx -> JobApi.json(ctx, 200, new JsonObject().put("status", "UP").put("version", EngineVersion.current())));
    HealthChecks checks = HealthChecks.create(vertx);
    readiness.forEach((name, check) -> checks.register(name, 2000, promise -> check.get().onComplete(ar -> {
      if (ar.succeeded()) {
        promise.complete(Status.OK());
      } else {
        promise.complete(Status.KO(new JsonObject().put("error", String.valueOf(ar.cause().getMessage()))));
      }
    })));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(checks));
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
  }
}
