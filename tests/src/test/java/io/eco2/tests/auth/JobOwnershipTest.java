package io.eco2.tests.auth;

import io.eco2.testkit.Await;
import io.eco2.tests.support.EmbeddedEngine;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.eco2.tests.support.EmbeddedEngines;
import io.eco2.tests.support.Gate;
import io.eco2.tests.support.Tokens;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
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

/**
 * A job belongs to the user who submitted it: another user's requests for it are answered exactly like
 * requests for a job that does not exist (404, never 403), on status, result, events and cancel.
 */
class JobOwnershipTest {

  private static final String SECRET = "ownership-test-secret";

  @RegisterExtension
  static final EmbeddedEngineExtension ENGINE = EmbeddedEngineExtension.with(EmbeddedEngine.pipeline(List.of("probe"), null)
    .put("auth", new JsonObject().put("mode", "jwt").put("jwt", new JsonObject().put("secret", SECRET))));

  private static String bearer(String user) {
    return "Bearer " + Tokens.hs256(SECRET, Tokens.claims(user, null, null, 600));
  }

  private static HttpResponse<Buffer> submit(String user, String idempotencyKey, String directives) {
    HttpRequest<Buffer> req = ENGINE.engine().client().post("/api/v1/scan").putHeader("Content-Type", "application/json")
      .putHeader("Authorization", bearer(user));
    if (idempotencyKey != null) {
      req.putHeader("X-Idempotency-Key", idempotencyKey);
    }
    HttpResponse<Buffer> r = Await.result(req.sendBuffer(scan(directives).toBuffer()));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r;
  }

  private static HttpResponse<Buffer> as(String user, HttpMethod method, String path) {
    return Await.result(ENGINE.engine().client().request(method, path).putHeader("Authorization", bearer(user)).send());
  }

  @Test
  void anotherUsersJobStatusIsNotFound() {
    String id = submit("alice", null, "x").bodyAsJsonObject().getString("job_id");
    assertApiError(as("bob", HttpMethod.GET, "/api/v1/scan/" + id), 404, "JOB_NOT_FOUND");
    assertThat(as("alice", HttpMethod.GET, "/api/v1/scan/" + id).statusCode()).isEqualTo(200);
  }

  @Test
  void anotherUsersJobResultIsNotFound() {
    String id = submit("alice", null, "x").bodyAsJsonObject().getString("job_id");
    Await.result(ENGINE.sse().open(id, "access_token=" + bearer("alice").substring(7), null).ended());
    assertApiError(as("bob", HttpMethod.GET, "/api/v1/scan/" + id + "/result"), 404, "RESULT_NOT_FOUND");
    assertThat(as("alice", HttpMethod.GET, "/api/v1/scan/" + id + "/result").statusCode()).isEqualTo(200);
  }

  @Test
  void anotherUsersJobEventsAreNotFound() {
    String id = submit("alice", null, "x").bodyAsJsonObject().getString("job_id");
    assertApiError(as("bob", HttpMethod.GET, "/api/v1/scan/" + id + "/events"), 404, "JOB_NOT_FOUND");
  }

  @Test
  void anotherUserCannotCancelAJobAndItRunsOn() {
    try (Gate gate = new Gate()) {
      String id = submit("alice", null, gate.directive()).bodyAsJsonObject().getString("job_id");
      assertApiError(as("bob", HttpMethod.DELETE, "/api/v1/scan/" + id), 404, "JOB_NOT_FOUND");
      gate.open();
      JsonObject done = Await.result(ENGINE.sse().open(id, "access_token=" + bearer("alice").substring(7), null).ended())
        .stream().filter(f -> f.isEvent()).reduce((a, b) -> b).orElseThrow().json();
      assertThat(done.getString("stage")).isEqualTo("done");
    }
  }

  @Test
  void anotherUsersJobAnswersExactlyLikeAnUnknownJob() {
    String id = submit("alice", null, "x").bodyAsJsonObject().getString("job_id");
    String unknown = UUID.randomUUID().toString();
    for (String suffix : List.of("", "/result", "/events")) {
      HttpResponse<Buffer> theirs = as("bob", HttpMethod.GET, "/api/v1/scan/" + id + suffix);
      HttpResponse<Buffer> none = as("bob", HttpMethod.GET, "/api/v1/scan/" + unknown + suffix);
      assertThat(theirs.statusCode()).isEqualTo(none.statusCode());
      assertThat(theirs.bodyAsJsonObject().getString("code")).isEqualTo(none.bodyAsJsonObject().getString("code"));
      assertThat(theirs.bodyAsJsonObject().getString("detail").replace(id, unknown))
        .isEqualTo(none.bodyAsJsonObject().getString("detail"));
    }
  }

  @Test
  void idempotencyKeysArePerUser() {
    String key = "key-" + UUID.randomUUID();
    String alice1 = submit("alice", key, "x").bodyAsJsonObject().getString("job_id");
    String alice2 = submit("alice", key, "x").bodyAsJsonObject().getString("job_id");
    String bob = submit("bob", key, "x").bodyAsJsonObject().getString("job_id");
    assertThat(alice2).isEqualTo(alice1);
    assertThat(bob).isNotEqualTo(alice1);
    assertThat(as("bob", HttpMethod.GET, "/api/v1/scan/" + bob).statusCode()).isEqualTo(200);
  }

  @Test
  void eachApiKeyIsAUserOfItsOwn(EmbeddedEngines engines) {
    try (EmbeddedEngine keys = engines.start(EmbeddedEngine.pipeline(List.of("probe"), null)
      .put("http", new JsonObject().put("api-keys", new JsonArray().add("key-a").add("key-b"))))) {
      HttpResponse<Buffer> r = Await.result(keys.client().post("/api/v1/scan").putHeader("Content-Type", "application/json")
        .putHeader("Authorization", "Bearer key-a").sendBuffer(scan("x").toBuffer()));
      String id = r.bodyAsJsonObject().getString("job_id");
      assertApiError(Await.result(keys.client().get("/api/v1/scan/" + id).putHeader("Authorization", "Bearer key-b").send()),
        404, "JOB_NOT_FOUND");
      assertThat(Await.result(keys.client().get("/api/v1/scan/" + id).putHeader("Authorization", "Bearer key-a").send())
        .statusCode()).isEqualTo(200);
    }
  }
}
