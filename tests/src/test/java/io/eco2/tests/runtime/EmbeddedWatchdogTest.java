package io.eco2.tests.runtime;

import io.eco2.testkit.Await;
import io.eco2.tests.support.EmbeddedEngine;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.eco2.tests.support.EmbeddedEngines;
import io.eco2.tests.support.PromScrape;
import io.eco2.tests.support.SseFrame;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static io.eco2.tests.support.Frames.last;
import static io.eco2.tests.support.Frames.steps;
import static io.eco2.tests.support.Jobs.job;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12's watchdog in embedded mode, through the engine's API: a job that can never progress (its
 * stage's only worker stopped consuming, so neither its message nor a re-drive is ever taken) ends with
 * exactly one {@code error} frame, code {@code STALLED}, after {@code watchdog.max-redrives} re-drives.
 */
@ExtendWith(EmbeddedEngineExtension.class)
class EmbeddedWatchdogTest {

  @Test
  void aJobNoWorkerTakesEndsWithOneStalledErrorAfterItsRedrives(EmbeddedEngines engines) {
    EmbeddedEngine engine = engines.start(EmbeddedEngine.pipeline(List.of("probe"),
        new JsonObject().put("probe", new JsonObject().put("timeout-ms", 200).put("retries", 0)))
      .put("watchdog", new JsonObject().put("sweep-interval-ms", 100).put("margin-ms", 0).put("max-redrives", 1)));
    engine.engine().workers("probe").forEach(w -> Await.result(w.stopConsuming(), "probe's worker stopped"));

    String id = engine.submitOk(job("fast"));
    List<SseFrame> frames = engine.sse().toEnd(id);

    assertThat(steps(frames)).containsExactly("queued/completed", "error/failed");
    JsonObject error = last(frames).json().getJsonObject("result");
    assertThat(error.getString("code")).isEqualTo("STALLED");
    assertThat(error.getString("stage")).isEqualTo("probe");
    PromScrape metrics = PromScrape.of(engine);
    assertThat(metrics.value("pipeline_jobs_redriven_total", Map.of("stage", "probe"))).contains(1.0);
    assertThat(metrics.value("pipeline_jobs_stalled_total", Map.of("stage", "probe"))).contains(1.0);
    assertThat(engine.get("/api/v1/scan/" + id + "/result").bodyAsJsonObject().getJsonObject("error").getString("code"))
      .isEqualTo("STALLED");
  }
}
