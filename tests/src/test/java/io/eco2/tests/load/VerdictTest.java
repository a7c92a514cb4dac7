package io.eco2.tests.load;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The outcome rules: completed, partial and failed as docs/BENCHMARKS.md defines them. */
class VerdictTest {

  private static final List<String> STAGES = LoadGenerator.STAGES;

  private static Buffer result(String status, Object reward, JsonArray degraded) {
    JsonObject pr = new JsonObject().put("classification_result", new JsonObject()).putNull("disposal_rules")
      .put("final_answer", new JsonObject());
    return new JsonObject().put("status", status).put("pipeline_result", pr).put("reward", reward)
      .put("degraded", degraded).put("error", "failed".equals(status) ? new JsonObject().put("code", "TIMEOUT") : null)
      .toBuffer();
  }

  private static StreamChecker stream(List<String> completedStages, String terminal) {
    StreamChecker c = new StreamChecker(STAGES);
    int seq = 0;
    for (String stage : completedStages) {
      c.accept(new SseFrame(seq + "-0", stage, "{\"seq\":" + seq + ",\"status\":\"completed\",\"progress\":0}", null, null, 0, 0));
      seq++;
    }
    if (terminal != null) {
      c.accept(new SseFrame(seq + "-0", terminal, "{\"seq\":" + seq + ",\"status\":\"completed\",\"progress\":100}", null, null, 0, 0));
    }
    return c;
  }

  @Test
  void doneWithEveryStageAndACompletedResultIsCompleted() {
    Verdict v = Verdict.judge(200, result("completed", null, new JsonArray()), stream(STAGES, "done"), null);
    assertThat(v.outcome()).isEqualTo(RunStats.Outcome.COMPLETED);
    assertThat(v.rewardNull()).isTrue();
    assertThat(v.degraded()).isFalse();
  }

  @Test
  void aMissingStageOrTerminalOrABrokenStreamIsPartial() {
    Buffer ok = result("completed", new JsonObject(), new JsonArray().add("reward"));
    Verdict missingStage = Verdict.judge(200, ok, stream(List.of("vision", "rule", "answer"), "done"), null);
    assertThat(missingStage.outcome()).isEqualTo(RunStats.Outcome.PARTIAL);
    assertThat(missingStage.reason()).isEqualTo("stage_missing");
    assertThat(missingStage.degraded()).isTrue();
    assertThat(missingStage.rewardNull()).isFalse();
    assertThat(Verdict.judge(200, ok, stream(STAGES, null), null).reason()).isEqualTo("no_terminal");
    assertThat(Verdict.judge(200, ok, stream(STAGES, null), "stream_broken").reason()).isEqualTo("stream_broken");
  }

  @Test
  void aFailedJobOrAnUnreadableResultIsFailed() {
    Verdict failed = Verdict.judge(200, result("failed", null, new JsonArray()), stream(STAGES, "error"), null);
    assertThat(failed.outcome()).isEqualTo(RunStats.Outcome.FAILED);
    assertThat(failed.reason()).isEqualTo("job_failed: TIMEOUT");
    assertThat(Verdict.judge(404, Buffer.buffer("{}"), null, null).reason()).isEqualTo("result_404");
    assertThat(Verdict.judge(200, Buffer.buffer("<html>"), null, null).reason()).isEqualTo("result_not_json");
  }

  @Test
  void pollModeJudgesFromTheResultAlone() {
    assertThat(Verdict.judge(200, result("completed", null, new JsonArray()), null, null).outcome())
      .isEqualTo(RunStats.Outcome.COMPLETED);
    Buffer noAnswer = new JsonObject().put("status", "completed").put("pipeline_result",
      new JsonObject().put("classification_result", new JsonObject())).putNull("reward").toBuffer();
    assertThat(Verdict.judge(200, noAnswer, null, null).outcome()).isEqualTo(RunStats.Outcome.PARTIAL);
  }
}
