package io.eco2.tests.api;

import io.eco2.testkit.Await;
import io.eco2.tests.stages.ProbeStage;
import io.eco2.tests.support.EmbeddedEngine;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.eco2.tests.support.Gate;
import io.eco2.tests.support.SseFrame;
import io.eco2.tests.support.SseRecording;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.UUID;

import static io.eco2.tests.support.ApiChecks.assertApiError;
import static io.eco2.tests.support.ApiChecks.scan;
import static io.eco2.tests.support.Frames.events;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code DELETE /api/v1/scan/{job_id}} (CONTRACT §2): 202, the running attempt is cancelled through
 * {@code StageContext.cancelled()}, no later stage runs, and the job ends with exactly one {@code error}
 * event, code {@code CANCELLED}, and a {@code failed} result carrying it.
 */
class CancelTest {

  @RegisterExtension
  static final EmbeddedEngineExtension ENGINE = EmbeddedEngineExtension.with(EmbeddedEngine.pipeline(List.of("probe", "guarded"), new JsonObject()
      .put("probe", new JsonObject().put("timeout-ms", 600_000))
      .put("guarded", new JsonObject().put("timeout-ms", 600_000))));

  private static HttpResponse<Buffer> cancel(String id) {
    return Await.result(ENGINE.engine().client().delete("/api/v1/scan/" + id).send());
  }

  private static String status(String id) {
    return ENGINE.engine().get("/api/v1/scan/" + id).bodyAsJsonObject().getString("status");
  }

  @Test
  void cancellingARunningJobEndsItWithOneCancelledErrorAndNoLaterStage() {
    int before = ProbeStage.cancellations();
    String id = ENGINE.engine().submitOk(scan("probe.hang"));
    SseRecording stream = ENGINE.sse().open(id, null, null);
    Await.until("the job running", () -> "running".equals(status(id)));

    HttpResponse<Buffer> r = cancel(id);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(202);
    assertThat(r.bodyAsJsonObject()).isEqualTo(new JsonObject().put("job_id", id).put("status", "cancelling"));

    List<SseFrame> frames = events(Await.result(stream.ended()));
    List<SseFrame> errors = frames.stream().filter(f -> "error".equals(f.event())).toList();
    assertThat(errors).hasSize(1);
    JsonObject error = errors.get(0).json();
    assertThat(error.getString("status")).isEqualTo("failed");
    assertThat(error.getJsonObject("result").getString("code")).isEqualTo("CANCELLED");
    assertThat(error.getJsonObject("result").getString("stage")).isEqualTo("probe");
    assertThat(frames).as("no later stage").noneMatch(f -> "guarded".equals(f.event()) || "done".equals(f.event()));
    assertThat(ProbeStage.cancellations()).as("the attempt saw StageContext.cancelled()").isGreaterThan(before);

    JsonObject result = ENGINE.engine().get("/api/v1/scan/" + id + "/result").bodyAsJsonObject();
    assertThat(result.getString("status")).isEqualTo("failed");
    assertThat(result.getJsonObject("error").getString("code")).isEqualTo("CANCELLED");
    assertThat(result.getJsonObject("error").getString("stage")).isEqualTo("probe");
  }

  @Test
  void aJobCancelledBetweenStagesNeverRunsTheNextStage() {
    try (Gate gate = new Gate()) {
      String id = ENGINE.engine().submitOk(scan(gate.directive("probe") + " guarded.hang"));
      SseRecording stream = ENGINE.sse().open(id, null, null);
      Await.until("the job running", () -> "running".equals(status(id)));
      assertThat(cancel(id).statusCode()).isEqualTo(202);
      gate.open();
      List<SseFrame> frames = events(Await.result(stream.ended()));
      assertThat(frames.stream().filter(f -> "error".equals(f.event()))).hasSize(1);
      assertThat(frames.get(frames.size() - 1).json().getJsonObject("result").getString("code")).isEqualTo("CANCELLED");
      // the probe stage may finish (it was past the point of no return), but "guarded" never starts
      assertThat(frames).noneMatch(f -> "guarded".equals(f.event()));
    }
  }

  @Test
  void cancellingTwiceIsHarmless() {
    String id = ENGINE.engine().submitOk(scan("probe.hang"));
    Await.until("the job running", () -> "running".equals(status(id)));
    assertThat(cancel(id).statusCode()).isEqualTo(202);
    assertThat(cancel(id).statusCode()).isEqualTo(202);
    Await.until("the job failed", () -> "failed".equals(status(id)));
    assertThat(cancel(id).statusCode()).as("a job that ended cancelled").isEqualTo(202);
    List<SseFrame> frames = events(ENGINE.sse().toEnd(id));
    assertThat(frames.stream().filter(f -> "error".equals(f.event()))).hasSize(1);
  }

  @Test
  void anEndedJobAnswersJobEnded() {
    String id = ENGINE.engine().submitOk(scan("x"));
    ENGINE.sse().toEnd(id);
    assertApiError(cancel(id), 409, "JOB_ENDED");
  }

  @Test
  void anUnknownJobAnswersNotFound() {
    assertApiError(cancel(UUID.randomUUID().toString()), 404, "JOB_NOT_FOUND");
    assertApiError(cancel("not-a-uuid"), 404, "JOB_NOT_FOUND");
  }
}
