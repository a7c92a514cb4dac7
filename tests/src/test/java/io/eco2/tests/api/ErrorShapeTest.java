package io.eco2.tests.api;

import io.eco2.tests.support.EngineHarness;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.UUID;

import static io.eco2.tests.support.ApiChecks.assertApiError;
import static io.eco2.tests.support.EngineHarness.await;

/**
 * CONTRACT §2: "Errors always have the body {"detail", "code"}" — also for requests no route handles. The
 * codes are the engine's own ({@code ApiError.NOT_FOUND}, {@code ApiError.METHOD_NOT_ALLOWED}); the contract
 * lists none for these cases.
 */
@ExtendWith(VertxExtension.class)
class ErrorShapeTest {

  private static Vertx vertx;
  private static EngineHarness engine;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    engine = EngineHarness.start(vertx, EngineHarness.pipeline(List.of("probe"), null));
  }

  @AfterAll
  static void stop() {
    if (engine != null) {
      engine.close();
    }
    await(vertx.close());
  }

  private static HttpResponse<Buffer> request(HttpMethod method, String path) {
    return await(engine.client().request(method, path).send());
  }

  @Test
  void anUnknownApiPathIs404WithTheErrorBody() {
    assertApiError(request(HttpMethod.GET, "/api/v1/nothing-here"), 404, "NOT_FOUND");
  }

  @Test
  void aWrongMethodOnTheScanCollectionIs405WithTheErrorBody() {
    assertApiError(request(HttpMethod.GET, "/api/v1/scan"), 405, "METHOD_NOT_ALLOWED");
  }

  @Test
  void aWrongMethodOnAJobIs405WithTheErrorBody() {
    assertApiError(request(HttpMethod.PUT, "/api/v1/scan/" + UUID.randomUUID()), 405, "METHOD_NOT_ALLOWED");
  }
}
