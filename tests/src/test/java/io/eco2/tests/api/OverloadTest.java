package io.eco2.tests.api;

import io.eco2.tests.support.EngineHarness;
import io.eco2.tests.support.Gate;
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
import static io.eco2.tests.support.ApiChecks.scan;
import static io.eco2.tests.support.EngineHarness.await;
import static io.eco2.tests.support.EngineHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Admission control (CONTRACT §2): when the first stage's backlog is full, submit answers 429
 * {@code OVERLOADED} with {@code Retry-After}. The probe stage here runs one job at a time with a backlog of
 * one: a gated job in flight plus one waiting fill it.
 */
@ExtendWith(VertxExtension.class)
class OverloadTest {

  private static Vertx vertx;
  private static EngineHarness engine;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    engine = EngineHarness.start(vertx, EngineHarness.pipeline(List.of("probe"),
      new JsonObject().put("probe", new JsonObject().put("concurrency", 1).put("backlog", 1))));
  }

  @AfterAll
  static void stop() {
    if (engine != null) {
      engine.close();
    }
    await(vertx.close());
  }

  /** Fills the pipeline: one job gated in flight, one waiting. Returns the waiting job. */
  private static String fill(Gate gate) {
    String inFlight = engine.submitOk(scan(gate.directive()));
    eventually(() -> "probe".equals(engine.get("/api/v1/scan/" + inFlight).bodyAsJsonObject().getString("stage")));
    return engine.submitOk(scan("x"));
  }

  private static HttpResponse<Buffer> submit(String key) {
    var req = engine.client().post("/api/v1/scan").putHeader("Content-Type", "application/json");
    if (key != null) {
      req.putHeader("X-Idempotency-Key", key);
    }
    return await(req.sendBuffer(scan("x").toBuffer()));
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
    eventually(() -> "completed".equals(engine.get("/api/v1/scan/" + waiting).bodyAsJsonObject().getString("status")));
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
    eventually(() -> "completed".equals(engine.get("/api/v1/scan/" + waiting).bodyAsJsonObject().getString("status")));
    HttpResponse<Buffer> retry = submit(key);
    assertThat(retry.statusCode()).isEqualTo(200);
    String id = retry.bodyAsJsonObject().getString("job_id");
    eventually(() -> "completed".equals(engine.get("/api/v1/scan/" + id).bodyAsJsonObject().getString("status")));
  }
}
