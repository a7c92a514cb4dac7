package io.eco2.tests.runtime;

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

import static io.eco2.tests.support.Frames.frames;
import static io.eco2.tests.support.Frames.last;
import static io.eco2.tests.support.Frames.single;
import static io.eco2.tests.support.Frames.steps;
import static io.eco2.tests.support.Jobs.job;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retry semantics of a stage (CONTRACT §2, §3): retryable failures are retried up to {@code retries} times
 * with a {@code retrying} frame before each retry and exponential backoff between attempts; a failure
 * beyond the retries, or a non-retryable one, ends the job with exactly one {@code error} event.
 */
@ExtendWith(EmbeddedEngineExtension.class)
class RetryTest {

  /** Probe policy with fast, jitter-free backoff. */
  private static JsonObject probePolicy(int retries, int backoffInitialMs, int backoffMaxMs) {
    return new JsonObject().put("probe", new JsonObject()
      .put("retries", retries)
      .put("backoff-initial-ms", backoffInitialMs)
      .put("backoff-max-ms", backoffMaxMs)
      .put("jitter", 0));
  }

  @Test
  void twoRetryableFailuresWithinTwoRetriesAreRetriedTwiceThenTheJobCompletes(EmbeddedEngines engines) {
    EmbeddedEngine engine = engines.start(List.of("probe"), probePolicy(2, 10, 20));
    List<SseFrame> frames = engine.sse().toEnd(engine.submitOk(job("fail=2")));

    assertThat(steps(frames)).containsExactly("queued/completed", "probe/started", "probe/retrying",
      "probe/retrying", "probe/completed", "done/completed");
    assertThat(frames(frames, "probe", "retrying")).allSatisfy(f -> assertThat(f.json().getValue("result")).isNull());
    assertThat(single(frames, "probe", "completed").json().getJsonObject("result"))
      .isEqualTo(new JsonObject().put("probe", new JsonObject().put("attempt", 2)));
    assertThat(single(frames, "done", "completed").json().getJsonObject("result").getString("status")).isEqualTo("completed");
  }

  @Test
  void aRetryableFailureBeyondTheRetriesEndsTheJobWithExactlyOneErrorEvent(EmbeddedEngines engines) {
    EmbeddedEngine engine = engines.start(List.of("probe"), probePolicy(2, 10, 20));
    List<SseFrame> frames = engine.sse().toEnd(engine.submitOk(job("fail=3")));

    assertThat(steps(frames)).containsExactly("queued/completed", "probe/started", "probe/retrying",
      "probe/retrying", "error/failed");
    JsonObject error = last(frames).json();
    assertThat(error.getString("stage")).isEqualTo("error");
    assertThat(error.getString("status")).isEqualTo("failed");
    assertThat(error.getJsonObject("result").getString("code")).isEqualTo("TEST_FAILURE");
    assertThat(error.getJsonObject("result").getString("stage")).isEqualTo("probe");
    assertThat(error.getJsonObject("result").getString("error")).isNotBlank();
  }

  @Test
  void theResultOfAJobThatRanOutOfRetriesIsFailedAndNamesTheFailingStage(EmbeddedEngines engines) {
    EmbeddedEngine engine = engines.start(List.of("probe"), probePolicy(2, 10, 20));
    String id = engine.submitOk(job("fail=3"));
    engine.sse().toEnd(id);

    var response = engine.get("/api/v1/scan/" + id + "/result");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject result = response.bodyAsJsonObject();
    assertThat(result.getString("status")).isEqualTo("failed");
    assertThat(result.getJsonObject("error").getString("stage")).isEqualTo("probe");
    assertThat(result.getJsonObject("error").getString("code")).isEqualTo("TEST_FAILURE");
    assertThat(result.getJsonObject("error").getString("message")).isNotBlank();
  }

  @Test
  void theResultOfAFailedJobHoldsTheOutputsOfTheStagesThatFinished(EmbeddedEngines engines) {
    // guarded runs first and succeeds; probe (second) fails for good after its retries.
    EmbeddedEngine engine = engines.start(List.of("guarded", "probe"), probePolicy(1, 10, 20));
    String id = engine.submitOk(job("probe.fail=9"));
    engine.sse().toEnd(id);

    JsonObject result = engine.get("/api/v1/scan/" + id + "/result").bodyAsJsonObject();
    assertThat(result.getString("status")).isEqualTo("failed");
    assertThat(result.getJsonObject("pipeline_result"))
      .isEqualTo(new JsonObject().put("guarded", new JsonObject().put("attempt", 0)));
    assertThat(result.getJsonObject("error").getString("stage")).isEqualTo("probe");
  }

  @Test
  void aPermanentFailureIsNotRetriedAndEndsTheJobAtOnce(EmbeddedEngines engines) {
    EmbeddedEngine engine = engines.start(List.of("probe"), probePolicy(2, 10, 20));
    List<SseFrame> frames = engine.sse().toEnd(engine.submitOk(job("permanent")));

    assertThat(steps(frames)).containsExactly("queued/completed", "probe/started", "error/failed");
    assertThat(last(frames).json().getJsonObject("result").getString("code")).isEqualTo("TEST_PERMANENT");
    assertThat(last(frames).json().getJsonObject("result").getString("stage")).isEqualTo("probe");
  }

  @Test
  void theRetryWaitsAtLeastTheInitialBackoff(EmbeddedEngines engines) {
    EmbeddedEngine engine = engines.start(List.of("probe"), probePolicy(2, 300, 5000));
    List<SseFrame> frames = engine.sse().toEnd(engine.submitOk(job("fail=1")));

    long retrying = single(frames, "probe", "retrying").json().getLong("ts");
    long completed = single(frames, "probe", "completed").json().getLong("ts");
    // Lower bound only (never an upper bound): the retry must not start before its 300 ms backoff.
    assertThat(completed - retrying).isGreaterThanOrEqualTo(295);
  }

  @Test
  void eachLaterRetryWaitsTwiceAsLong(EmbeddedEngines engines) {
    EmbeddedEngine engine = engines.start(List.of("probe"), probePolicy(2, 200, 5000));
    List<SseFrame> frames = engine.sse().toEnd(engine.submitOk(job("fail=2")));

    List<SseFrame> retrying = frames(frames, "probe", "retrying");
    assertThat(retrying).hasSize(2);
    long second = retrying.get(1).json().getLong("ts");
    long completed = single(frames, "probe", "completed").json().getLong("ts");
    assertThat(second - retrying.get(0).json().getLong("ts")).isGreaterThanOrEqualTo(195);
    assertThat(completed - second).isGreaterThanOrEqualTo(395);
  }

  @Test
  void retriesAreCountedPerStageOnMetrics(EmbeddedEngines engines) {
    EmbeddedEngine engine = engines.start(List.of("probe"), probePolicy(2, 10, 20));
    Map<String, String> probe = Map.of("stage", "probe");
    assertThat(PromScrape.of(engine).valueOrZero("pipeline_stage_retries_total", probe)).isEqualTo(0.0);

    engine.sse().toEnd(engine.submitOk(job("fail=2")));
    engine.sse().toEnd(engine.submitOk(job("fail=1")));

    assertThat(PromScrape.of(engine).value("pipeline_stage_retries_total", probe)).contains(3.0);
  }
}
