package io.eco2.tests.api;

import io.eco2.testkit.Await;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.eco2.tests.support.Gate;
import io.eco2.tests.support.SseFrame;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.eco2.tests.support.ApiChecks.assertApiError;
import static io.eco2.tests.support.ApiChecks.scan;
import static io.eco2.tests.support.Frames.events;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/v1/scan/{id}/result} and {@code GET /api/v1/scan/{id}} (CONTRACT §2) over a two-stage
 * pipeline {@code guarded} (has a fallback) then {@code probe} (has none). {@code guarded} runs one job at a
 * time, so a job gated in it keeps the next one {@code queued}.
 */
class ResultAndStatusTest {

  @RegisterExtension
  static final EmbeddedEngineExtension ENGINE = EmbeddedEngineExtension.with(List.of("guarded", "probe"),
    new JsonObject().put("guarded", new JsonObject().put("concurrency", 1)));

  private static HttpResponse<Buffer> result(String id) {
    return ENGINE.engine().get("/api/v1/scan/" + id + "/result");
  }

  private static JsonObject status(String id) {
    HttpResponse<Buffer> r = ENGINE.engine().get("/api/v1/scan/" + id);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  /** Submits a job and waits until it has started the given stage. */
  private static String runningIn(String stage, String userInput) {
    String id = ENGINE.engine().submitOk(scan(userInput));
    Await.until("the job at stage " + stage, () -> stage.equals(status(id).getString("stage")));
    return id;
  }

  private static String finished(String userInput) {
    String id = ENGINE.engine().submitOk(scan(userInput));
    ENGINE.sse().toEnd(id);
    return id;
  }

  // ---- result while running ----------------------------------------------------------------------------

  @Test
  void theResultOfARunningJobAnswers202WithRetryAfter2() {
    try (Gate gate = new Gate()) {
      String id = runningIn("probe", gate.directive("probe"));
      HttpResponse<Buffer> r = result(id);
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(202);
      assertThat(r.getHeader("Retry-After")).isEqualTo("2");
      assertThat(r.getHeader("Content-Type")).startsWith("application/json");
    }
  }

  @Test
  void theResultOfARunningJobNamesTheCurrentStageAndProgress() {
    try (Gate gate = new Gate()) {
      String id = runningIn("probe", gate.directive("probe"));
      JsonObject body = result(id).bodyAsJsonObject();
      assertThat(body.getString("status")).isEqualTo("processing");
      assertThat(body.getString("current_stage")).isEqualTo("probe");
      assertThat(body.getInteger("progress")).isEqualTo(50);
      assertThat(body.getString("message")).isNotBlank();
    }
  }

  @Test
  void theResultOfAQueuedJobAnswers202AtProgressZero() {
    try (Gate gate = new Gate()) {
      runningIn("guarded", gate.directive("guarded"));
      String queued = ENGINE.engine().submitOk(scan("x"));
      HttpResponse<Buffer> r = result(queued);
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(202);
      assertThat(r.bodyAsJsonObject().getInteger("progress")).isZero();
    }
  }

  // ---- result when done ----------------------------------------------------------------------------

  @Test
  void theResultOfACompletedJobHasExactlyTheContractFields() {
    String id = finished("x");
    HttpResponse<Buffer> r = result(id);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("Content-Type")).startsWith("application/json");
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("task_id", "status", "message", "pipeline_result",
      "reward", "degraded", "error");
  }

  @Test
  void theResultOfACompletedJobIsCompletedWithoutErrorOrDegradation() {
    String id = finished("x");
    JsonObject body = result(id).bodyAsJsonObject();
    assertThat(body.getString("task_id")).isEqualTo(id);
    assertThat(body.getString("status")).isEqualTo("completed");
    assertThat(body.getString("message")).isNotBlank();
    assertThat(body.getValue("error")).isNull();
    assertThat(body.getJsonArray("degraded")).isEqualTo(new JsonArray());
    assertThat(body.containsKey("reward")).isTrue();
  }

  @Test
  void thePipelineResultHoldsEveryStageOutputAndNotTheSubmittedInput() {
    JsonObject pipeline = result(finished("x")).bodyAsJsonObject().getJsonObject("pipeline_result");
    assertThat(pipeline.fieldNames()).containsExactlyInAnyOrder("guarded", "probe");
    assertThat(pipeline.getJsonObject("probe").getInteger("attempt")).isZero();
  }

  @Test
  void theDoneEventCarriesTheSameResultAsTheResultEndpoint() {
    String id = ENGINE.engine().submitOk(scan("x"));
    List<SseFrame> events = events(ENGINE.sse().toEnd(id));
    SseFrame done = events.get(events.size() - 1);
    assertThat(done.event()).isEqualTo("done");
    assertThat(done.json().getJsonObject("result")).isEqualTo(result(id).bodyAsJsonObject());
  }

  @Test
  void theResultOfAFailedJobIs200WithStatusFailedAndTheError() {
    String id = finished("probe.permanent");
    HttpResponse<Buffer> r = result(id);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("failed");
    JsonObject error = body.getJsonObject("error");
    assertThat(error.fieldNames()).containsExactlyInAnyOrder("stage", "code", "message");
    assertThat(error.getString("stage")).isEqualTo("probe");
    assertThat(error.getString("code")).isEqualTo("TEST_PERMANENT");
    assertThat(error.getString("message")).isNotBlank();
  }

  @Test
  void theResultOfAFailedJobKeepsWhatFinishedBeforeTheFailure() {
    JsonObject pipeline = result(finished("probe.permanent")).bodyAsJsonObject().getJsonObject("pipeline_result");
    assertThat(pipeline.fieldNames()).containsExactly("guarded");
  }

  @Test
  void aStageThatFellBackIsListedInDegradedAndTheJobCompletes() {
    JsonObject body = result(finished("guarded.permanent")).bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("completed");
    assertThat(body.getJsonArray("degraded")).isEqualTo(new JsonArray().add("guarded"));
    assertThat(body.getJsonObject("pipeline_result").getValue("guarded")).isNull();
  }

  @Test
  void theResultOfAnUnknownJobIs404ResultNotFound() {
    assertApiError(result(UUID.randomUUID().toString()), 404, "RESULT_NOT_FOUND");
  }

  @Test
  void theResultOfANonUuidJobIdIs404ResultNotFound() {
    assertApiError(result("not-a-uuid"), 404, "RESULT_NOT_FOUND");
  }

  // ---- status snapshot ---------------------------------------------------------------------------------

  @Test
  void aJobWaitingForItsFirstStageIsQueued() {
    try (Gate gate = new Gate()) {
      runningIn("guarded", gate.directive("guarded"));
      String queued = ENGINE.engine().submitOk(scan("x"));
      JsonObject s = status(queued);
      assertThat(s.getString("status")).isEqualTo("queued");
      assertThat(s.getInteger("progress")).isZero();
    }
  }

  @Test
  void aJobInAStageIsRunningWithThatStageAndItsProgress() {
    try (Gate gate = new Gate()) {
      String id = runningIn("probe", gate.directive("probe"));
      JsonObject s = status(id);
      assertThat(s.getString("status")).isEqualTo("running");
      assertThat(s.getString("stage")).isEqualTo("probe");
      assertThat(s.getInteger("progress")).isEqualTo(50);
    }
  }

  @Test
  void aFinishedJobIsCompletedAt100() {
    JsonObject s = status(finished("x"));
    assertThat(s.getString("status")).isEqualTo("completed");
    assertThat(s.getInteger("progress")).isEqualTo(100);
  }

  @Test
  void aJobThatCouldNotFinishIsFailed() {
    assertThat(status(finished("probe.permanent")).getString("status")).isEqualTo("failed");
  }

  @Test
  void theStatusHasExactlyTheContractFields() {
    String id = finished("x");
    JsonObject s = status(id);
    assertThat(s.fieldNames()).containsExactlyInAnyOrder("job_id", "status", "stage", "progress", "updated_at");
    assertThat(s.getString("job_id")).isEqualTo(id);
  }

  @Test
  void updatedAtIsAnIso8601UtcTimestampOfTheLastEvent() {
    String id = ENGINE.engine().submitOk(scan("x"));
    List<SseFrame> events = events(ENGINE.sse().toEnd(id));
    String updatedAt = status(id).getString("updated_at");
    assertThat(updatedAt).endsWith("Z");
    assertThat(Instant.parse(updatedAt).toEpochMilli()).isEqualTo(events.get(events.size() - 1).json().getLong("ts"));
  }

  @Test
  void theStatusOfAnUnknownJobIs404JobNotFound() {
    assertApiError(ENGINE.engine().get("/api/v1/scan/" + UUID.randomUUID()), 404, "JOB_NOT_FOUND");
  }

  @Test
  void theStatusOfANonUuidJobIdIs404JobNotFound() {
    assertApiError(ENGINE.engine().get("/api/v1/scan/12345"), 404, "JOB_NOT_FOUND");
  }
}
