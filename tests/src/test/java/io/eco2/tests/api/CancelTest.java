package io.eco2.tests.api;

import io.eco2.tests.stages.ProbeStage;
import io.eco2.tests.support.EngineHarness;
import io.eco2.tests.support.Gate;
import io.eco2.tests.support.SseFrame;
import io.eco2.tests.support.SseRecording;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static io.eco2.tests.support.ApiChecks.assertApiError;
import static io.eco2.tests.support.ApiChecks.events;
import static io.eco2.tests.support.ApiChecks.scan;
import static io.eco2.tests.support.EngineHarness.await;
import static io.eco2.tests.support.EngineHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code DELETE /api/v1/scan/{job_id}} (CONTRACT §2): 202, the running attempt is cancelled through
 * {@code StageContext.cancelled()}, no later stage runs, and the job ends with exactly one {@code error}
 * event, code {@code CANCELLED}, and a {@code failed} result carrying it.
 */
class CancelTest {

  private static Vertx vertx;
  private static EngineHarness engine;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    // A long stage timeout: only the cancellation may end the hanging attempt.
    engine = EngineHarness.start(vertx, EngineHarness.pipeline(List.of("probe", "guarded"), new JsonObject()
      .put("probe", new JsonObject().put("timeout-ms", 600_000))
      .put("guarded", new JsonObject().put("timeout-ms", 600_000))));
  }

  @AfterAll
  static void stop() {
    if (engine != null) {
      engine.close();
    }
    await(vertx.close());
  }

  private static HttpResponse<Buffer> cancel(String id) {
    return await(engine.client().delete("/api/v1/scan/" + id).send());
  }

  private static String status(String id) {
    return engine.get("/api/v1/scan/" + id).bodyAsJsonObject().getString("status");
  }

  @Test
  void cancellingARunningJobEndsItWithOneCancelledErrorAndNoLaterStage() {
    int before = ProbeStage.cancellations();
    String id = engine.submitOk(scan("probe.hang"));
    SseRecording stream = engine.stream(id, null, null);
    eventually(() -> "running".equals(status(id)));

    HttpResponse<Buffer> r = cancel(id);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(202);
    assertThat(r.bodyAsJsonObject()).isEqualTo(new JsonObject().put("job_id", id).put("status", "cancelling"));

    List<SseFrame> frames = events(await(stream.ended()));
    List<SseFrame> errors = frames.stream().filter(f -> "error".equals(f.event())).toList();
    assertThat(errors).hasSize(1);
    JsonObject error = errors.get(0).json();
    assertThat(error.getString("status")).isEqualTo("failed");
    assertThat(error.getJsonObject("result").getString("code")).isEqualTo("CANCELLED");
    assertThat(error.getJsonObject("result").getString("stage")).isEqualTo("probe");
    assertThat(frames).as("no later stage").noneMatch(f -> "guarded".equals(f.event()) || "done".equals(f.event()));
    assertThat(ProbeStage.cancellations()).as("the attempt saw StageContext.cancelled()").isGreaterThan(before);

    JsonObject result = engine.get("/api/v1/scan/" + id + "/result").bodyAsJsonObject();
    assertThat(result.getString("status")).isEqualTo("failed");
    assertThat(result.getJsonObject("error").getString("code")).isEqualTo("CANCELLED");
    assertThat(result.getJsonObject("error").getString("stage")).isEqualTo("probe");
  }

  @Test
  void aJobCancelledBetweenStagesNeverRunsTheNextStage() {
    try (Gate gate = new Gate()) {
      String id = engine.submitOk(scan(gate.directive("probe") + " guarded.hang"));
      SseRecording stream = engine.stream(id, null, null);
      eventually(() -> "running".equals(status(id)));
      assertThat(cancel(id).statusCode()).isEqualTo(202);
      gate.open();
      List<SseFrame> frames = events(await(stream.ended()));
      assertThat(frames.stream().filter(f -> "error".equals(f.event()))).hasSize(1);
      assertThat(frames.get(frames.size() - 1).json().getJsonObject("result").getString("code")).isEqualTo("CANCELLED");
      // the probe stage may finish (it was past the point of no return), but "guarded" never starts
      assertThat(frames).noneMatch(f -> "guarded".equals(f.event()));
    }
  }

  @Test
  void cancellingTwiceIsHarmless() {
    String id = engine.submitOk(scan("probe.hang"));
    eventually(() -> "running".equals(status(id)));
    assertThat(cancel(id).statusCode()).isEqualTo(202);
    assertThat(cancel(id).statusCode()).isEqualTo(202);
    eventually(() -> "failed".equals(status(id)));
    assertThat(cancel(id).statusCode()).as("a job that ended cancelled").isEqualTo(202);
    List<SseFrame> frames = events(engine.streamToEnd(id));
    assertThat(frames.stream().filter(f -> "error".equals(f.event()))).hasSize(1);
  }

  @Test
  void anEndedJobAnswersJobEnded() {
    String id = engine.submitOk(scan("x"));
    engine.streamToEnd(id);
    assertApiError(cancel(id), 409, "JOB_ENDED");
  }

  @Test
  void anUnknownJobAnswersNotFound() {
    assertApiError(cancel(UUID.randomUUID().toString()), 404, "JOB_NOT_FOUND");
    assertApiError(cancel("not-a-uuid"), 404, "JOB_NOT_FOUND");
  }
}
