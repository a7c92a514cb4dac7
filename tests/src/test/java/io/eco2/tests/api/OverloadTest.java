package io.eco2.tests.api;

import io.eco2.testkit.Await;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.eco2.tests.support.Gate;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.UUID;

import static io.eco2.tests.support.ApiChecks.assertApiError;
import static io.eco2.tests.support.ApiChecks.scan;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Admission control (CONTRACT §2): when the first stage's backlog is full, submit answers 429
 * {@code OVERLOADED} with {@code Retry-After}. The probe stage here runs one job at a time with a backlog of
 * one: a gated job in flight plus one waiting fill it.
 */
class OverloadTest {

  @RegisterExtension
  static final EmbeddedEngineExtension ENGINE = EmbeddedEngineExtension.with(List.of("probe"),
    new JsonObject().put("probe", new JsonObject().put("concurrency", 1).put("backlog", 1)));

  /** Fills the pipeline: one job gated in flight, one waiting. Returns the waiting job. */
  private static String fill(Gate gate) {
    String inFlight = ENGINE.engine().submitOk(scan(gate.directive()));
    Await.until("the first job running in probe", () -> "probe".equals(ENGINE.engine().get("/api/v1/scan/" + inFlight).bodyAsJsonObject().getString("stage")));
    return ENGINE.engine().submitOk(scan("x"));
  }

  private static HttpResponse<Buffer> submit(String key) {
    var req = ENGINE.engine().client().post("/api/v1/scan").putHeader("Content-Type", "application/json");
    if (key != null) {
      req.putHeader("X-Idempotency-Key", key);
    }
    return Await.result(req.sendBuffer(scan("x").toBuffer()));
  }

  @Test
  void aSubmitBeyondTheBacklogIs429OverloadedWithRetryAfter() {
    try (Gate gate = new Gate()) {
      fill(gate);
      HttpResponse<Buffer> r = submit(null);
      assertApiError(r, 429, "OVERLOADED");
      assertThat(r.getHeader("Retry-After")).isEqualTo("2");
    }
  }

  @Test
  void submitsAreAcceptedAgainOnceTheBacklogDrains() {
    String waiting;
    try (Gate gate = new Gate()) {
      waiting = fill(gate);
      assertThat(submit(null).statusCode()).isEqualTo(429);
    }
    Await.until("the waiting job completed", () -> "completed".equals(ENGINE.engine().get("/api/v1/scan/" + waiting).bodyAsJsonObject().getString("status")));
    assertThat(submit(null).statusCode()).isEqualTo(200);
  }

  @Test
  void anIdempotencyKeyRefusedWith429CanBeUsedAgain() {
    // the refused submit must not keep the key: a retry with it would otherwise get a job that never ran
    String key = UUID.randomUUID().toString();
    String waiting;
    try (Gate gate = new Gate()) {
      waiting = fill(gate);
      assertApiError(submit(key), 429, "OVERLOADED");
    }
    Await.until("the waiting job completed", () -> "completed".equals(ENGINE.engine().get("/api/v1/scan/" + waiting).bodyAsJsonObject().getString("status")));
    HttpResponse<Buffer> retry = submit(key);
    assertThat(retry.statusCode()).isEqualTo(200);
    String id = retry.bodyAsJsonObject().getString("job_id");
    Await.until("the job completed", () -> "completed".equals(ENGINE.engine().get("/api/v1/scan/" + id).bodyAsJsonObject().getString("status")));
  }
}
