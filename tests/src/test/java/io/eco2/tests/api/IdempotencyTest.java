package io.eco2.tests.api;

import io.eco2.tests.support.EngineHarness;
import io.eco2.tests.support.SseClient;
import io.eco2.tests.support.SseFrame;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.UUID;

import static io.eco2.tests.support.ApiChecks.assertApiError;
import static io.eco2.tests.support.ApiChecks.metric;
import static io.eco2.tests.support.ApiChecks.scan;
import static io.eco2.tests.support.EngineHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code X-Idempotency-Key} on submit (CONTRACT §2): a repeated key answers the first response and starts no job. */
@ExtendWith(VertxExtension.class)
class IdempotencyTest {

  private static Vertx vertx;
  private static EngineHarness engine;
  private static SseClient sse;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    engine = EngineHarness.start(vertx, EngineHarness.pipeline(List.of("probe"), null));
    sse = new SseClient(vertx, engine.port());
  }

  @AfterAll
  static void stop() {
    if (sse != null) {
      sse.close();
    }
    if (engine != null) {
      engine.close();
    }
    await(vertx.close());
  }
  /** The job's whole stream, through {@link SseClient} (see there why not {@code EngineHarness.streamToEnd}). */
  private static List<SseFrame> streamToEnd(String jobId) {
    return SseClient.toEnd(sse.open(jobId), java.time.Duration.ofSeconds(10));
  }


  private static HttpResponse<Buffer> submit(JsonObject body, String key) {
    return await(engine.client().post("/api/v1/scan").putHeader("Content-Type", "application/json")
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
  void aRepeatedKeyStartsNoSecondJob() {
    // An engine of its own: the class's shared engine also finishes other tests' jobs meanwhile.
    try (EngineHarness own = EngineHarness.start(vertx, EngineHarness.pipeline(List.of("probe"), null));
         SseClient ownSse = new SseClient(vertx, own.port())) {
      String key = UUID.randomUUID().toString();
      JsonObject body = scan("x");
      String id = await(own.client().post("/api/v1/scan").putHeader("Content-Type", "application/json")
        .putHeader("X-Idempotency-Key", key).sendBuffer(body.toBuffer())).bodyAsJsonObject().getString("job_id");
      String again = await(own.client().post("/api/v1/scan").putHeader("Content-Type", "application/json")
        .putHeader("X-Idempotency-Key", key).sendBuffer(body.toBuffer())).bodyAsJsonObject().getString("job_id");
      assertThat(again).isEqualTo(id);
      SseClient.toEnd(ownSse.open(id), java.time.Duration.ofSeconds(10));
      // a key-less barrier job: a duplicate submitted before it would have finished by the time it has
      String barrier = own.submitOk(scan("x"));
      SseClient.toEnd(ownSse.open(barrier), java.time.Duration.ofSeconds(10));
      EngineHarness.eventually(() -> metric(own, "pipeline_jobs_total", "outcome=\"completed\"") >= 2);
      assertThat(metric(own, "pipeline_jobs_total", "outcome=\"completed\"")).isEqualTo(2.0);
    }
  }

  @Test
  void submitsWithoutAKeyAreNeverMerged() {
    assertThat(engine.submitOk(scan("x"))).isNotEqualTo(engine.submitOk(scan("x")));
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
