package io.eco2.tests.api;

import io.eco2.testkit.Await;
import io.eco2.tests.support.EmbeddedEngine;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static io.eco2.tests.support.ApiChecks.assertApiError;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code http.management-port}: /health/*, /metrics and /scaling/* move to a port of their own. */
class ManagementPortTest {

  @RegisterExtension
  static final EmbeddedEngineExtension ENGINE = EmbeddedEngineExtension.with(EmbeddedEngine.pipeline(List.of("probe"), null)
    .put("http", new JsonObject().put("management-port", 0)));

  private static HttpResponse<Buffer> get(int port, String path) {
    return Await.result(ENGINE.engine().client().get(port, "127.0.0.1", path).send());
  }

  @Test
  void theOperationsRoutesAnswerOnTheManagementPort() {
    int port = ENGINE.engine().engine().managementPort();
    assertThat(port).isNotEqualTo(ENGINE.engine().port());
    for (String path : List.of("/health/live", "/health/ready", "/metrics", "/scaling/v1/desired")) {
      assertThat(get(port, path).statusCode()).as(path).isEqualTo(200);
    }
  }

  @Test
  void theOperationsRoutesAreGoneFromTheApiPort() {
    for (String path : List.of("/health/live", "/metrics", "/scaling/v1/desired")) {
      assertApiError(get(ENGINE.engine().port(), path), 404, "NOT_FOUND");
    }
  }

  @Test
  void theApiIsNotServedOnTheManagementPort() {
    assertApiError(get(ENGINE.engine().engine().managementPort(), "/api/v1/scan/6f1c0000-0000-4000-8000-000000000000"), 404, "NOT_FOUND");
  }
}
