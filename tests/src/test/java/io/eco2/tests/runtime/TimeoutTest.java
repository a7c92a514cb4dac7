package io.eco2.tests.runtime;

import io.eco2.testkit.Await;
import io.eco2.tests.stages.ProbeStage;
import io.eco2.tests.support.EmbeddedEngine;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.eco2.tests.support.EmbeddedEngines;
import io.eco2.tests.support.SseFrame;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static io.eco2.tests.support.Frames.last;
import static io.eco2.tests.support.Frames.steps;
import static io.eco2.tests.support.Jobs.job;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-attempt timeouts: an attempt that outlives {@code timeout-ms} is cancelled (the stage sees
 * {@code cancelled()} complete), counts as a retryable {@code TIMEOUT} failure, and after the retries the
 * job fails with code {@code TIMEOUT}.
 */
@ExtendWith(EmbeddedEngineExtension.class)
class TimeoutTest {

  private static EmbeddedEngine start(EmbeddedEngines engines) {
    return engines.start(EmbeddedEngine.pipeline(List.of("probe"), new JsonObject().put("probe",
      new JsonObject().put("timeout-ms", 200).put("retries", 1).put("backoff-initial-ms", 10).put("jitter", 0))));
  }

  @Test
  void aHangingStageIsAttemptedOnceMoreThenTheJobFailsWithTimeout(EmbeddedEngines engines) {
    EmbeddedEngine engine = start(engines);
    List<SseFrame> frames = engine.sse().toEnd(engine.submitOk(job("hang")));

    assertThat(steps(frames)).containsExactly("queued/completed", "probe/started", "probe/retrying", "error/failed");
    JsonObject error = last(frames).json().getJsonObject("result");
    assertThat(error.getString("code")).isEqualTo("TIMEOUT");
    assertThat(error.getString("stage")).isEqualTo("probe");
  }

  @Test
  void everyTimedOutAttemptIsCancelled(EmbeddedEngines engines) {
    EmbeddedEngine engine = start(engines);
    int before = ProbeStage.cancellations();
    engine.sse().toEnd(engine.submitOk(job("hang")));

    Await.until("both timed-out attempts cancelled", () -> ProbeStage.cancellations() - before >= 2);
    assertThat(ProbeStage.cancellations() - before).isEqualTo(2);
  }

  @Test
  void theResultOfATimedOutJobNamesCodeTimeout(EmbeddedEngines engines) {
    EmbeddedEngine engine = start(engines);
    String id = engine.submitOk(job("hang"));
    engine.sse().toEnd(id);

    JsonObject result = engine.get("/api/v1/scan/" + id + "/result").bodyAsJsonObject();
    assertThat(result.getString("status")).isEqualTo("failed");
    assertThat(result.getJsonObject("error").getString("code")).isEqualTo("TIMEOUT");
    assertThat(result.getJsonObject("error").getString("stage")).isEqualTo("probe");
  }

  @Test
  void aStageSlowerThanItsTimeoutFailsEvenThoughItWouldFinish(EmbeddedEngines engines) {
    EmbeddedEngine engine = start(engines);
    int running = ProbeStage.running();
    // Each attempt would finish after 1 s, well past the 200 ms timeout: its late output must be ignored.
    List<SseFrame> frames = engine.sse().toEnd(engine.submitOk(job("sleep=1000")));
    // Let the late attempts end so the probe's static running count is back where it was for later tests.
    Await.until("the late attempts ended", () -> ProbeStage.running() == running);

    assertThat(steps(frames)).containsExactly("queued/completed", "probe/started", "probe/retrying", "error/failed");
    assertThat(last(frames).json().getJsonObject("result").getString("code")).isEqualTo("TIMEOUT");
  }
}
