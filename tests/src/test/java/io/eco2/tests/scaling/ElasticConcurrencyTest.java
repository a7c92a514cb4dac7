package io.eco2.tests.scaling;

import io.eco2.testkit.Await;
import io.eco2.tests.stages.ProbeStage;
import io.eco2.tests.support.EmbeddedEngine;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.eco2.tests.support.EmbeddedEngines;
import io.eco2.tests.support.PromScrape;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.eco2.tests.support.Jobs.job;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * In-process elasticity (embedded mode, {@code scaling.elastic-concurrency}): a backlog grows the stage's
 * concurrency, so more of it runs at once, and once the work is done it shrinks back to the minimum;
 * {@code pipeline_stage_concurrency} shows both.
 */
@ExtendWith(EmbeddedEngineExtension.class)
class ElasticConcurrencyTest {

  private static double slots(EmbeddedEngine engine) {
    return PromScrape.of(engine).valueOrZero("pipeline_stage_concurrency", Map.of("stage", "probe"));
  }

  @Test
  void growsUnderBacklogAndShrinksAfter(EmbeddedEngines engines) {
    String gate = UUID.randomUUID().toString();
    JsonObject config = EmbeddedEngine.pipeline(List.of("probe"), new JsonObject().put("probe",
        new JsonObject().put("instances", 1).put("concurrency", 2).put("backlog", 100)))
      .put("scaling", new JsonObject().put("interval-ms", 100).put("elastic-concurrency", true)
        .put("min-concurrency", 1).put("max-concurrency", 16).put("scale-down-stabilization-seconds", 0.5));
    EmbeddedEngine engine = engines.start(config);
    try {
      assertThat(PromScrape.of(engine).type("pipeline_stage_concurrency")).isEqualTo("gauge");
      // Idle: it shrinks to the minimum.
      Await.until("concurrency shrunk to the minimum while idle", () -> slots(engine) == 1.0);

      ProbeStage.resetPeak();
      int before = ProbeStage.running();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        ids.add(engine.submitOk(job("gate=" + gate)));
      }
      // 12 jobs need 12 slots: more than the configured 2 run at once.
      Await.until("concurrency grown to 12 slots", () -> slots(engine) >= 12.0);
      Await.until("12 jobs running at once", () -> ProbeStage.running() - before >= 12);
      assertThat(slots(engine)).isLessThanOrEqualTo(16.0);

      ProbeStage.open(gate);
      ids.forEach(engine.sse()::toEnd);
      Await.until("concurrency shrunk to the minimum again", () -> slots(engine) == 1.0);
    } finally {
      ProbeStage.open(gate);
    }
  }
}
