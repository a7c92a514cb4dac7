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
 * {@code GET /scaling/v1/desired} (CONTRACT §6) and the autoscaler's gauges against a live engine whose
 * stage is held busy: the backlog builds, the recommendation rises above one replica, and it comes back
 * down after the work is done.
 */
@ExtendWith(EmbeddedEngineExtension.class)
class ScalingEndpointTest {

  /** A probe stage of 4 slots on one instance; decisions every 100 ms over a 2 s window, a short scale-down window. */
  static JsonObject config() {
    return EmbeddedEngine.pipeline(List.of("probe"), new JsonObject().put("probe",
        new JsonObject().put("instances", 1).put("concurrency", 4).put("backlog", 100)))
      .put("scaling", new JsonObject().put("interval-ms", 100).put("window-seconds", 2).put("min-replicas", 1).put("max-replicas", 50)
        .put("scale-down-stabilization-seconds", 1).put("target-drain-seconds", 30));
  }

  private static JsonObject desired(EmbeddedEngine engine) {
    var r = engine.get("/scaling/v1/desired");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("Content-Type")).startsWith("application/json");
    return r.bodyAsJsonObject();
  }

  @Test
  void answersTheContractShapeAndRisesWhileTheBacklogBuilds(EmbeddedEngines engines) {
    String gate = UUID.randomUUID().toString();
    EmbeddedEngine engine = engines.start(config());
    try {
      JsonObject idle = desired(engine);
      JsonObject probe = idle.getJsonObject("stages").getJsonObject("probe");
      assertThat(probe.fieldNames()).contains("desired_replicas", "queue_depth", "inflight", "arrival_rate", "service_time_p50_ms");
      assertThat(probe.getInteger("desired_replicas")).isEqualTo(1);
      assertThat(idle.getJsonObject("workers").getInteger("desired_replicas")).isEqualTo(1);

      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        ids.add(engine.submitOk(job("gate=" + gate)));
      }
      // 4 in flight (the stage's slots), 16 ready: the backlog needs more than the one replica there is.
      Await.until("4 in flight, 16 queued and more than one replica desired", () -> {
        JsonObject s = desired(engine).getJsonObject("stages").getJsonObject("probe");
        return s.getLong("inflight") == 4 && s.getLong("queue_depth") == 16 && s.getInteger("desired_replicas") > 1;
      });
      JsonObject busy = desired(engine);
      int stageDesired = busy.getJsonObject("stages").getJsonObject("probe").getInteger("desired_replicas");
      assertThat(busy.getJsonObject("workers").getInteger("desired_replicas")).isEqualTo(stageDesired);
      assertThat(busy.getBoolean("active")).isTrue();

      PromScrape scrape = PromScrape.of(engine);
      assertThat(scrape.type("pipeline_desired_replicas")).isEqualTo("gauge");
      assertThat(scrape.type("pipeline_desired_workers")).isEqualTo("gauge");
      assertThat(scrape.value("pipeline_desired_replicas", Map.of("stage", "probe")).orElseThrow()).isGreaterThan(1.0);
      assertThat(scrape.value("pipeline_desired_workers", Map.of()).orElseThrow()).isGreaterThan(1.0);

      ProbeStage.open(gate);
      ids.forEach(engine.sse()::toEnd);
      // Drained: after the stabilization window the recommendation is back at the minimum.
      Await.until("the recommendation back at the minimum", () -> {
        JsonObject d = desired(engine);
        JsonObject s = d.getJsonObject("stages").getJsonObject("probe");
        return s.getInteger("desired_replicas") == 1 && s.getLong("inflight") == 0 && !d.getBoolean("active")
          && s.getValue("service_time_p50_ms") != null;
      });
    } finally {
      ProbeStage.open(gate);
    }
  }

  @Test
  void isNotServedWhenScalingIsDisabled(EmbeddedEngines engines) {
    EmbeddedEngine engine = engines.start(config().put("scaling", new JsonObject().put("enabled", false)));
    assertThat(engine.get("/scaling/v1/desired").statusCode()).isEqualTo(404);
    assertThat(PromScrape.of(engine).type("pipeline_desired_replicas")).isNull();
  }
}
