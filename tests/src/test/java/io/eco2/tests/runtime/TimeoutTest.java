package io.eco2.tests.runtime;

import io.eco2.tests.stages.ProbeStage;
import io.eco2.tests.support.EngineHarness;
import io.eco2.tests.support.SseFrame;
import io.eco2.tests.support.SseHistory;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static io.eco2.tests.support.EngineHarness.eventually;
import static io.eco2.tests.support.Jobs.job;
import static io.eco2.tests.support.Jobs.last;
import static io.eco2.tests.support.Jobs.steps;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-attempt timeouts: an attempt that outlives {@code timeout-ms} is cancelled (the stage sees
 * {@code cancelled()} complete), counts as a retryable {@code TIMEOUT} failure, and after the retries the
 * job fails with code {@code TIMEOUT}.
 */
@ExtendWith(VertxExtension.class)
class TimeoutTest {

  private static EngineHarness start(Vertx vertx) {
    return EngineHarness.start(vertx, EngineHarness.pipeline(List.of("probe"), new JsonObject().put("probe",
      new JsonObject().put("timeout-ms", 200).put("retries", 1).put("backoff-initial-ms", 10).put("jitter", 0))));
  }

  @Test
  void aHangingStageIsAttemptedOnceMoreThenTheJobFailsWithTimeout(Vertx vertx) {
    try (EngineHarness engine = start(vertx)) {
      List<SseFrame> frames = SseHistory.of(vertx, engine).awaitEnd(engine.submitOk(job("hang")));

      assertThat(steps(frames)).containsExactly("queued/completed", "probe/started", "probe/retrying", "error/failed");
      JsonObject error = last(frames).json().getJsonObject("result");
      assertThat(error.getString("code")).isEqualTo("TIMEOUT");
      assertThat(error.getString("stage")).isEqualTo("probe");
    }
  }

  @Test
  void everyTimedOutAttemptIsCancelled(Vertx vertx) {
    try (EngineHarness engine = start(vertx)) {
      int before = ProbeStage.cancellations();
      SseHistory.of(vertx, engine).awaitEnd(engine.submitOk(job("hang")));

      eventually(() -> ProbeStage.cancellations() - before >= 2);
      assertThat(ProbeStage.cancellations() - before).isEqualTo(2);
    }
  }

  @Test
  void theResultOfATimedOutJobNamesCodeTimeout(Vertx vertx) {
    try (EngineHarness engine = start(vertx)) {
      String id = engine.submitOk(job("hang"));
      SseHistory.of(vertx, engine).awaitEnd(id);

      JsonObject result = engine.get("/api/v1/scan/" + id + "/result").bodyAsJsonObject();
      assertThat(result.getString("status")).isEqualTo("failed");
      assertThat(result.getJsonObject("error").getString("code")).isEqualTo("TIMEOUT");
      assertThat(result.getJsonObject("error").getString("stage")).isEqualTo("probe");
    }
  }

  @Test
  void aStageSlowerThanItsTimeoutFailsEvenThoughItWouldFinish(Vertx vertx) {
    try (EngineHarness engine = start(vertx)) {
      int running = ProbeStage.running();
      // Each attempt would finish after 1 s, well past the 200 ms timeout: its late output must be ignored.
      List<SseFrame> frames = SseHistory.of(vertx, engine).awaitEnd(engine.submitOk(job("sleep=1000")));
      // Let the late attempts end so the probe's static running count is back where it was for later tests.
      eventually(() -> ProbeStage.running() == running);

      assertThat(steps(frames)).containsExactly("queued/completed", "probe/started", "probe/retrying", "error/failed");
      assertThat(last(frames).json().getJsonObject("result").getString("code")).isEqualTo("TIMEOUT");
    }
  }
}
