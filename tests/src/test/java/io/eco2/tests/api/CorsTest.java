package io.eco2.tests.api;

import io.eco2.testkit.Await;
import io.eco2.tests.support.EmbeddedEngine;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.eco2.tests.support.EmbeddedEngines;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static io.eco2.tests.support.ApiChecks.assertApiError;
import static io.eco2.tests.support.ApiChecks.scan;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code http.cors.allowed-origins}: a listed origin may call the API with credentials (preflights for
 * submit and for the events route answered, {@code Retry-After} exposed); any other origin is granted
 * nothing.
 */
class CorsTest {

  private static final String FRONT = "https://front.example";
  private static final String OTHER = "https://evil.example";

  @RegisterExtension
  static final EmbeddedEngineExtension ENGINE = EmbeddedEngineExtension.with(EmbeddedEngine.pipeline(List.of("probe"), null)
    .put("http", new JsonObject().put("cors", new JsonObject().put("allowed-origins", new JsonArray().add(FRONT)))));

  private static HttpResponse<Buffer> preflight(String origin, String path, String method, String headers) {
    HttpRequest<Buffer> req = ENGINE.engine().client().request(HttpMethod.OPTIONS, path).putHeader("Origin", origin)
      .putHeader("Access-Control-Request-Method", method);
    if (headers != null) {
      req.putHeader("Access-Control-Request-Headers", headers);
    }
    return Await.result(req.send());
  }

  private static List<String> list(String header) {
    return header == null ? List.of() : java.util.Arrays.stream(header.split(",")).map(String::trim).map(String::toLowerCase).toList();
  }

  @Test
  void aSubmitPreflightFromAListedOriginIsGrantedWithCredentials() {
    HttpResponse<Buffer> r = preflight(FRONT, "/api/v1/scan", "POST", "content-type, authorization, x-idempotency-key");
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.getHeader("Access-Control-Allow-Origin")).isEqualTo(FRONT);
    assertThat(r.getHeader("Access-Control-Allow-Credentials")).isEqualTo("true");
    assertThat(list(r.getHeader("Access-Control-Allow-Methods"))).contains("post");
    assertThat(list(r.getHeader("Access-Control-Allow-Headers"))).contains("content-type", "authorization", "x-idempotency-key");
  }

  @Test
  void anEventsPreflightWithLastEventIdIsGranted() {
    HttpResponse<Buffer> r = preflight(FRONT, "/api/v1/scan/6f1c0000-0000-4000-8000-000000000000/events", "GET", "last-event-id");
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.getHeader("Access-Control-Allow-Origin")).isEqualTo(FRONT);
    assertThat(list(r.getHeader("Access-Control-Allow-Headers"))).contains("last-event-id");
  }

  @Test
  void aCancelPreflightIsGranted() {
    HttpResponse<Buffer> r = preflight(FRONT, "/api/v1/scan/6f1c0000-0000-4000-8000-000000000000", "DELETE", null);
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(list(r.getHeader("Access-Control-Allow-Methods"))).contains("delete");
  }

  @Test
  void aResponseToAListedOriginExposesRetryAfter() {
    HttpResponse<Buffer> r = Await.result(ENGINE.engine().client().post("/api/v1/scan").putHeader("Origin", FRONT)
      .putHeader("Content-Type", "application/json").sendBuffer(scan("x").toBuffer()));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("Access-Control-Allow-Origin")).isEqualTo(FRONT);
    assertThat(r.getHeader("Access-Control-Allow-Credentials")).isEqualTo("true");
    assertThat(list(r.getHeader("Access-Control-Expose-Headers"))).contains("retry-after");
  }

  @Test
  void anErrorToAListedOriginCarriesTheGrantSoThePageCanReadIt() {
    HttpResponse<Buffer> r = Await.result(ENGINE.engine().client().get("/api/v1/scan/6f1c0000-0000-4000-8000-000000000000")
      .putHeader("Origin", FRONT).send());
    assertApiError(r, 404, "JOB_NOT_FOUND");
    assertThat(r.getHeader("Access-Control-Allow-Origin")).isEqualTo(FRONT);
  }

  @Test
  void anotherOriginsPreflightIsRefused() {
    HttpResponse<Buffer> r = preflight(OTHER, "/api/v1/scan", "POST", "content-type");
    assertApiError(r, 403, "CORS_ORIGIN_NOT_ALLOWED");
    assertThat(r.getHeader("Access-Control-Allow-Origin")).isNull();
  }

  @Test
  void anotherOriginGetsNoGrant() {
    HttpResponse<Buffer> r = Await.result(ENGINE.engine().client().post("/api/v1/scan").putHeader("Origin", OTHER)
      .putHeader("Content-Type", "application/json").sendBuffer(scan("x").toBuffer()));
    assertThat(r.getHeader("Access-Control-Allow-Origin")).isNull();
    assertThat(r.getHeader("Access-Control-Allow-Credentials")).isNull();
  }

  @Test
  void aSiblingOfTheListedOriginGetsNoGrant() {
    for (String near : List.of("http://front.example", "https://front.example:8443", "https://front.example.evil")) {
      HttpResponse<Buffer> r = preflight(near, "/api/v1/scan", "POST", "content-type");
      assertThat(r.getHeader("Access-Control-Allow-Origin")).as(near).isNull();
    }
  }

  @Test
  void withoutAllowedOriginsThereIsNoCors(EmbeddedEngines engines) {
    EmbeddedEngine plain = engines.start(EmbeddedEngine.pipeline(List.of("probe"), null));
    HttpResponse<Buffer> r = Await.result(plain.client().request(HttpMethod.OPTIONS, "/api/v1/scan").putHeader("Origin", FRONT)
      .putHeader("Access-Control-Request-Method", "POST").send());
    assertThat(r.getHeader("Access-Control-Allow-Origin")).isNull();
  }
}
