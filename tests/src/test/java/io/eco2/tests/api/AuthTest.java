package io.eco2.tests.api;

import io.eco2.testkit.Await;
import io.eco2.tests.support.EmbeddedEngine;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.UUID;

import static io.eco2.tests.support.ApiChecks.assertApiError;
import static io.eco2.tests.support.ApiChecks.scan;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code http.api-keys} (CONTRACT §2): with keys configured, /api/v1/* needs {@code Authorization: Bearer <key>}. */
class AuthTest {

  @RegisterExtension
  static final EmbeddedEngineExtension ENGINE = EmbeddedEngineExtension.with(EmbeddedEngine.pipeline(List.of("probe"), null)
    .put("http", new JsonObject().put("api-keys", new JsonArray().add("k1"))));

  private static HttpResponse<Buffer> submit(String authorization) {
    HttpRequest<Buffer> req = ENGINE.engine().client().post("/api/v1/scan").putHeader("Content-Type", "application/json");
    if (authorization != null) {
      req.putHeader("Authorization", authorization);
    }
    return Await.result(req.sendBuffer(scan("x").toBuffer()));
  }

  private static HttpResponse<Buffer> get(String path, String authorization) {
    HttpRequest<Buffer> req = ENGINE.engine().client().get(path);
    if (authorization != null) {
      req.putHeader("Authorization", authorization);
    }
    return Await.result(req.send());
  }

  @Test
  void aSubmitWithoutAuthorizationIsRejectedWithUnauthorized() {
    assertApiError(submit(null), 401, "UNAUTHORIZED");
  }

  @Test
  void aSubmitWithAWrongKeyIsRejectedWithUnauthorized() {
    assertApiError(submit("Bearer k2"), 401, "UNAUTHORIZED");
  }

  @Test
  void aSubmitWithTheKeyButNotAsBearerIsRejectedWithUnauthorized() {
    assertApiError(submit("Basic k1"), 401, "UNAUTHORIZED");
  }

  @Test
  void aSubmitWithAKeyThatOnlyStartsWithAValidKeyIsRejectedWithUnauthorized() {
    assertApiError(submit("Bearer k1x"), 401, "UNAUTHORIZED");
  }

  @Test
  void aSubmitWithTheBearerKeyIsAccepted() {
    HttpResponse<Buffer> r = submit("Bearer k1");
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
  }

  @Test
  void unauthorizedIsCheckedBeforeTheBody() {
    // an unauthenticated caller learns nothing about the request: 401, not 415
    HttpResponse<Buffer> r = Await.result(ENGINE.engine().client().post("/api/v1/scan").putHeader("Content-Type", "text/plain")
      .sendBuffer(Buffer.buffer("x")));
    assertApiError(r, 401, "UNAUTHORIZED");
  }

  @Test
  void theEventsOfAJobNeedTheKey() {
    String id = submit("Bearer k1").bodyAsJsonObject().getString("job_id");
    assertApiError(get("/api/v1/scan/" + id + "/events", null), 401, "UNAUTHORIZED");
  }

  @Test
  void theResultOfAJobNeedsTheKey() {
    String id = submit("Bearer k1").bodyAsJsonObject().getString("job_id");
    assertApiError(get("/api/v1/scan/" + id + "/result", null), 401, "UNAUTHORIZED");
  }

  @Test
  void theStatusOfAJobNeedsTheKey() {
    String id = submit("Bearer k1").bodyAsJsonObject().getString("job_id");
    assertApiError(get("/api/v1/scan/" + id, null), 401, "UNAUTHORIZED");
  }

  @Test
  void theStatusOfAJobIsServedWithTheKey() {
    String id = submit("Bearer k1").bodyAsJsonObject().getString("job_id");
    assertThat(get("/api/v1/scan/" + id, "Bearer k1").statusCode()).isEqualTo(200);
  }

  @Test
  void anUnknownJobWithoutTheKeyIsUnauthorizedRatherThanNotFound() {
    assertApiError(get("/api/v1/scan/" + UUID.randomUUID(), null), 401, "UNAUTHORIZED");
  }

  @Test
  void livenessStaysOpen() {
    assertThat(get("/health/live", null).statusCode()).isEqualTo(200);
  }

  @Test
  void readinessStaysOpen() {
    assertThat(get("/health/ready", null).statusCode()).isEqualTo(200);
  }

  @Test
  void metricsStayOpen() {
    HttpResponse<Buffer> r = get("/metrics", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsString()).contains("scan_sse_connections_active");
  }
}
