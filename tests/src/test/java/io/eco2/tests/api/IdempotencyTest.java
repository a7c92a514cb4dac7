package io.eco2.tests.api;

import io.eco2.testkit.Await;
import io.eco2.tests.support.EmbeddedEngine;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.eco2.tests.support.EmbeddedEngines;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.UUID;

import static io.eco2.tests.support.ApiChecks.assertApiError;
import static io.eco2.tests.support.ApiChecks.metric;
import static io.eco2.tests.support.ApiChecks.scan;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code X-Idempotency-Key} on submit (CONTRACT §2): a repeated key answers the first response and starts no job. */
class IdempotencyTest {

  @RegisterExtension
  static final EmbeddedEngineExtension ENGINE = EmbeddedEngineExtension.with(List.of("probe"), null);

  private static HttpResponse<Buffer> submit(JsonObject body, String key) {
    return Await.result(ENGINE.engine().client().post("/api/v1/scan").putHeader("Content-Type", "application/json")
      .putHeader("X-Idempotency-Key", key).sendBuffer(body.toBuffer()));
  }

  @Test
  void theSameKeyReturnsTheFirstResponseAgain() {
    String key = UUID.randomUUID().toString();
    HttpResponse<Buffer> first = submit(scan("x"), key);
    HttpResponse<Buffer> second = submit(scan("x"), key);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.bodyAsJsonObject()).isEqualTo(first.bodyAsJsonObject());
  }

  @Test
  void theSameKeyWithADifferentBodyStillReturnsTheFirstJob() {
    String key = UUID.randomUUID().toString();
    String first = submit(scan("first"), key).bodyAsJsonObject().getString("job_id");
    String second = submit(scan("https://example.org/other.png", "second"), key).bodyAsJsonObject().getString("job_id");
    assertThat(second).isEqualTo(first);
  }

  @Test
  void aRepeatedKeyStartsNoSecondJob(EmbeddedEngines engines) {
    // An engine of its own: the class's shared engine also finishes other tests' jobs meanwhile.
    EmbeddedEngine own = engines.start(List.of("probe"), null);
    String key = UUID.randomUUID().toString();
    JsonObject body = scan("x");
    String id = Await.result(own.client().post("/api/v1/scan").putHeader("Content-Type", "application/json")
      .putHeader("X-Idempotency-Key", key).sendBuffer(body.toBuffer())).bodyAsJsonObject().getString("job_id");
    String again = Await.result(own.client().post("/api/v1/scan").putHeader("Content-Type", "application/json")
      .putHeader("X-Idempotency-Key", key).sendBuffer(body.toBuffer())).bodyAsJsonObject().getString("job_id");
    assertThat(again).isEqualTo(id);
    own.sse().toEnd(id);
    // a key-less barrier job: a duplicate submitted before it would have finished by the time it has
    String barrier = own.submitOk(scan("x"));
    own.sse().toEnd(barrier);
    Await.until("both jobs counted as completed", () -> metric(own, "pipeline_jobs_total", "outcome=\"completed\"") >= 2);
    assertThat(metric(own, "pipeline_jobs_total", "outcome=\"completed\"")).isEqualTo(2.0);
  }

  @Test
  void submitsWithoutAKeyAreNeverMerged() {
    assertThat(ENGINE.engine().submitOk(scan("x"))).isNotEqualTo(ENGINE.engine().submitOk(scan("x")));
  }

  @Test
  void differentKeysGetDifferentJobs() {
    String a = submit(scan("x"), UUID.randomUUID().toString()).bodyAsJsonObject().getString("job_id");
    String b = submit(scan("x"), UUID.randomUUID().toString()).bodyAsJsonObject().getString("job_id");
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void aKeyOf128CharactersIsAccepted() {
    assertThat(submit(scan("x"), "k".repeat(128)).statusCode()).isEqualTo(200);
  }

  @Test
  void aKeyLongerThan128CharactersIsRejectedWithInvalidIdempotencyKey() {
    assertApiError(submit(scan("x"), "k".repeat(129)), 400, "INVALID_IDEMPOTENCY_KEY");
  }

  @Test
  void anEmptyKeyIsRejectedWithInvalidIdempotencyKey() {
    assertApiError(submit(scan("x"), ""), 400, "INVALID_IDEMPOTENCY_KEY");
  }

  @Test
  void aRequestRefusedForItsBodyDoesNotClaimTheKey() {
    String key = UUID.randomUUID().toString();
    assertApiError(submit(scan(null, "x"), key), 400, "IMAGE_URL_REQUIRED");
    HttpResponse<Buffer> ok = submit(scan("x"), key);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.bodyAsJsonObject().getString("status")).isEqualTo("queued");
  }
}
