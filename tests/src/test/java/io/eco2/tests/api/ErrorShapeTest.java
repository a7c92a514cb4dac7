package io.eco2.tests.api;

import io.eco2.testkit.Await;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.UUID;

import static io.eco2.tests.support.ApiChecks.assertApiError;

/**
 * CONTRACT §2: "Errors always have the body {"detail", "code"}" — also for requests no route handles. The
 * codes are the engine's own ({@code ApiError.NOT_FOUND}, {@code ApiError.METHOD_NOT_ALLOWED}); the contract
 * lists none for these cases.
 */
class ErrorShapeTest {

  @RegisterExtension
  static final EmbeddedEngineExtension ENGINE = EmbeddedEngineExtension.with(List.of("probe"), null);

  private static HttpResponse<Buffer> request(HttpMethod method, String path) {
    return Await.result(ENGINE.engine().client().request(method, path).send());
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
