package io.eco2.tests.scaling;

import io.eco2.tests.stages.ProbeStage;
import io.eco2.tests.support.EngineHarness;
import io.eco2.tests.support.PromScrape;
import io.eco2.tests.support.SseHistory;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.eco2.tests.support.EngineHarness.eventually;
import static io.eco2.tests.support.Jobs.job;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * In-process elasticity (embedded mode, {@code scaling.elastic-concurrency}): a backlog grows the stage's
 * concurrency, so more of it runs at once, and once the work is done it shrinks back to the minimum;
 * {@code pipeline_stage_concurrency} shows both.
 */
@ExtendWith(VertxExtension.class)
class ElasticConcurrencyTest {

  private static double slots(EngineHarness engine) {
    return PromScrape.of(engine).valueOrZero("pipeline_stage_concurrency", Map.of("stage", "probe"));
  }

  @Test
  void growsUnderBacklogAndShrinksAfter(Vertx vertx) {
    String gate = UUID.randomUUID().toString();
    JsonObject config = EngineHarness.pipeline(List.of("probe"), new JsonObject().put("probe",
        new JsonObject().put("instances", 1).put("concurrency", 2).put("backlog", 100)))
      .put("scaling", new JsonObject().put("interval-ms", 100).put("elastic-concurrency", true)
        .put("min-concurrency", 1).put("max-concurrency", 16).put("scale-down-stabilization-seconds", 0.5));
    try (EngineHarness engine = EngineHarness.start(vertx, config)) {
      assertThat(PromScrape.of(engine).type("pipeline_stage_concurrency")).isEqualTo("gauge");
      // Idle: it shrinks to the minimum.
      eventually(() -> slots(engine) == 1.0);

      ProbeStage.resetPeak();
      int before = ProbeStage.running();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        ids.add(engine.submitOk(job("gate=" + gate)));
      }
      // 12 jobs need 12 slots: more than the configured 2 run at once.
      eventually(() -> slots(engine) >= 12.0);
      eventually(() -> ProbeStage.running() - before >= 12);
      assertThat(slots(engine)).isLessThanOrEqualTo(16.0);

      ProbeStage.open(gate);
      SseHistory history = SseHistory.of(vertx, engine);
      ids.forEach(history::awaitEnd);
      eventually(() -> slots(engine) == 1.0);
    } finally {
      ProbeStage.open(gate);
    }
  }
}
