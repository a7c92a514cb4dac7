package io.eco2.tests.distributed;

import io.eco2.testkit.Await;
import io.eco2.tests.support.DistributedEnv;
import io.eco2.tests.support.EngineProcess;
import io.eco2.tests.support.HistoryCheck;
import io.eco2.tests.support.PromScrape;
import io.eco2.tests.support.SseFrame;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 "A watchdog: every job ends", in distributed mode with real processes: a job whose message the
 * broker lost is handed to its stage again and ends {@code done}; a job that can never progress ends with
 * exactly one {@code error} frame, code {@code STALLED}.
 */
class WatchdogTest {

  @RegisterExtension
  final DistributedEnv env = new DistributedEnv();

  // vision's budget is its one attempt's timeout (no retry, no margin); sweeps every 200 ms.
  private Path config(long visionTimeoutMs, int maxRedrives) {
    return env.config("app", new JsonObject()
      .put("watchdog", new JsonObject().put("sweep-interval-ms", 200).put("margin-ms", 0).put("max-redrives", maxRedrives))
      .put("stages", new JsonObject().put("vision", new JsonObject().put("timeout-ms", visionTimeoutMs).put("retries", 0)))
      .put("llm", new JsonObject().put("simulated", new JsonObject().put("latency-scale", 0.01))));
  }

  private double meter(EngineProcess p, String name, String stage) {
    return PromScrape.parse(env.get(p.port(), "/metrics").bodyAsString()).value(name, Map.of("stage", stage)).orElse(0.0);
  }

  @Test
  void aJobWhoseMessageTheBrokerLostIsRedrivenAndEndsDone() throws Exception {
    // Re-drives every 3 s until a worker is up to take one; each is a twin the stages tolerate.
    Path conf = config(3000, 20);
    EngineProcess api = env.start("api", conf, "api");
    String job = env.submit(api.port(), "https://example.com/photos/lost.jpg");
    String queue = env.prefix() + ".vision";
    Await.until("the job's first message taken off " + queue + " and dropped", () -> env.basicGet(queue) != null);

    env.start("worker", conf, "worker");
    List<SseFrame> frames = env.stream(api.port(), job, null).awaitEnd();
    List<HistoryCheck.Step> steps = HistoryCheck.fromFrames(frames);
    HistoryCheck.assertWhole("job " + job, steps, "done");
    assertThat(steps).as("the stream is the job's log").isEqualTo(HistoryCheck.fromStream(env.xrange(job)));
    double redriven = meter(api, "pipeline_jobs_redriven_total", "vision");
    System.out.println("WATCHDOG lost-message job=" + job + " events=" + steps.size() + " redriven=" + redriven);
    assertThat(redriven).as("re-drives counted by the sweeping API").isGreaterThanOrEqualTo(1);
  }

  @Test
  void aJobThatCanNeverProgressEndsWithExactlyOneStalledError() throws Exception {
    // No worker at all: the job and each re-drive wait in the queue forever.
    Path conf = config(500, 1);
    EngineProcess api = env.start("api", conf, "api");
    String job = env.submit(api.port(), "https://example.com/photos/stuck.jpg");

    List<SseFrame> events = env.stream(api.port(), job, null).awaitEnd().stream().filter(SseFrame::isEvent).toList();
    assertThat(events).extracting(SseFrame::event).containsExactly("queued", "error");
    JsonObject error = events.get(1).json().getJsonObject("result");
    assertThat(error.getString("code")).isEqualTo("STALLED");
    assertThat(error.getString("stage")).isEqualTo("vision");
    assertThat(meter(api, "pipeline_jobs_redriven_total", "vision")).isEqualTo(1);
    assertThat(meter(api, "pipeline_jobs_stalled_total", "vision")).isEqualTo(1);
    // The job left the watchdog's set with its error: later sweeps log nothing more.
    assertThat(env.redis("ZSCORE", env.prefix() + ":active", job)).isNull();
    assertThat(env.xrange(job)).hasSize(2);
  }
}
