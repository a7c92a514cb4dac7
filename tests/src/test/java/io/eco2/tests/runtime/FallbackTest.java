package io.eco2.tests.runtime;

import io.eco2.tests.support.EmbeddedEngine;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.eco2.tests.support.EmbeddedEngines;
import io.eco2.tests.support.PromScrape;
import io.eco2.tests.support.SseFrame;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static io.eco2.tests.support.Frames.frames;
import static io.eco2.tests.support.Frames.single;
import static io.eco2.tests.support.Frames.steps;
import static io.eco2.tests.support.Jobs.job;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stage with a fallback never fails the job: when its attempts are used up (or a failure is permanent)
 * it completes with the fallback output and the job's result lists it under {@code degraded}.
 */
@ExtendWith(EmbeddedEngineExtension.class)
class FallbackTest {

  private static EmbeddedEngine start(EmbeddedEngines engines) {
    return engines.start(EmbeddedEngine.pipeline(List.of("probe", "guarded"), new JsonObject()
      .put("guarded", new JsonObject().put("retries", 1).put("backoff-initial-ms", 10).put("jitter", 0))));
  }

  @Test
  void aPermanentlyFailingStageWithAFallbackCompletesWithTheFallbackOutput(EmbeddedEngines engines) {
    EmbeddedEngine engine = start(engines);
    List<SseFrame> frames = engine.sse().toEnd(engine.submitOk(job("guarded.permanent")));

    assertThat(steps(frames)).containsExactly("queued/completed", "probe/started", "probe/completed",
      "guarded/started", "guarded/completed", "done/completed");
    assertThat(single(frames, "guarded", "completed").json().getJsonObject("result"))
      .isEqualTo(new JsonObject().putNull("guarded"));
  }

  @Test
  void theResultOfAJobThatFellBackListsTheStageAsDegraded(EmbeddedEngines engines) {
    EmbeddedEngine engine = start(engines);
    String id = engine.submitOk(job("guarded.permanent"));
    List<SseFrame> frames = engine.sse().toEnd(id);

    JsonObject done = single(frames, "done", "completed").json().getJsonObject("result");
    assertThat(done.getString("status")).isEqualTo("completed");
    assertThat(done.getJsonArray("degraded")).isEqualTo(new JsonArray().add("guarded"));
    JsonObject result = engine.get("/api/v1/scan/" + id + "/result").bodyAsJsonObject();
    assertThat(result.getString("status")).isEqualTo("completed");
    assertThat(result.getJsonArray("degraded")).isEqualTo(new JsonArray().add("guarded"));
    assertThat(result.getValue("error")).isNull();
    assertThat(result.getJsonObject("pipeline_result").containsKey("guarded")).isTrue();
    assertThat(result.getJsonObject("pipeline_result").getValue("guarded")).isNull();
    assertThat(result.getJsonObject("pipeline_result").getJsonObject("probe"))
      .isEqualTo(new JsonObject().put("attempt", 0));
  }

  @Test
  void aJobThatFellBackIsCountedAsDegradedNotCompleted(EmbeddedEngines engines) {
    EmbeddedEngine engine = start(engines);
    Map<String, String> degraded = Map.of("outcome", "degraded");
    Map<String, String> completed = Map.of("outcome", "completed");
    PromScrape before = PromScrape.of(engine);

    engine.sse().toEnd(engine.submitOk(job("guarded.permanent")));

    PromScrape after = PromScrape.of(engine);
    assertThat(after.valueOrZero("pipeline_jobs_total", degraded) - before.valueOrZero("pipeline_jobs_total", degraded))
      .isEqualTo(1.0);
    assertThat(after.valueOrZero("pipeline_jobs_total", completed)).isEqualTo(before.valueOrZero("pipeline_jobs_total", completed));
  }

  @Test
  void aStageFallsBackOnlyAfterItsRetriesAreUsedUp(EmbeddedEngines engines) {
    EmbeddedEngine engine = start(engines);
    List<SseFrame> frames = engine.sse().toEnd(engine.submitOk(job("guarded.fail=9")));

    assertThat(steps(frames)).containsExactly("queued/completed", "probe/started", "probe/completed",
      "guarded/started", "guarded/retrying", "guarded/completed", "done/completed");
    assertThat(single(frames, "guarded", "completed").json().getJsonObject("result"))
      .isEqualTo(new JsonObject().putNull("guarded"));
    assertThat(frames(frames, "error", "failed")).isEmpty();
  }
}
