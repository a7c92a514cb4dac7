package io.eco2.tests.distributed;

import io.eco2.testkit.Await;
import io.eco2.tests.support.DistributedEnv;
import io.eco2.tests.support.EngineProcess;
import io.eco2.tests.support.HistoryCheck;
import io.eco2.tests.support.PromScrape;
import io.eco2.tests.support.SseFrame;
import io.eco2.tests.support.SseRecording;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CONTRACT §5 "A worker killed at any point loses no job" and "Redelivered messages are processed
 * idempotently": one of two workers is killed with SIGKILL while jobs are in every stage; a replacement starts.
 * Every accepted job ends with {@code done}, and no job's stream (live SSE or the Redis stream itself) holds an
 * event twice or skips a seq.
 */
class WorkerCrashTest {

  private static final int JOBS = 40;

  @RegisterExtension
  final DistributedEnv env = new DistributedEnv();

  /** Each job's latest event as its live stream shows it ({@code stage/status}), counted. */
  private static Map<String, Integer> stagesNow(Map<String, SseRecording> live) {
    Map<String, Integer> count = new TreeMap<>();
    for (SseRecording r : live.values()) {
      List<SseFrame> events = r.events();
      String now = events.isEmpty() ? "none" : events.get(events.size() - 1).event() + "/"
        + events.get(events.size() - 1).json().getString("status");
      count.merge(now, 1, Integer::sum);
    }
    return count;
  }

  private static boolean midRun(Map<String, Integer> stages) {
    return stages.keySet().stream().anyMatch(s -> s.startsWith("vision")) && stages.keySet().stream().anyMatch(s -> s.startsWith("answer"));
  }

  @Test
  void killingAWorkerMidRunLosesNoJobAndDuplicatesNoEvent() throws Exception {
    Path conf = env.config("app", new JsonObject()
      .put("llm", new JsonObject().put("simulated", new JsonObject().put("latency-scale", 0.6))));
    EngineProcess api = env.start("api", conf, "api");
    EngineProcess victim = env.start("worker-1", conf, "worker");
    EngineProcess survivor = env.start("worker-2", conf, "worker");

    // Staggered submissions, each watched live from the start, so the kill finds jobs at every stage.
    List<String> ids = new ArrayList<>();
    Map<String, SseRecording> live = new LinkedHashMap<>();
    // The kill comes as soon as the live streams show jobs in vision and in answer at once, checked between
    // submissions (from what the streams already received: no request), so that however slowly a loaded
    // machine submits, jobs are still mid-run; the remaining jobs are submitted after the kill.
    Map<String, Integer> stages = null;
    for (int i = 0; i < JOBS; i++) {
      String id = env.submit(api.port(), "https://example.com/photos/item-" + i + ".jpg");
      ids.add(id);
      live.put(id, env.stream(api.port(), id, null));
      Map<String, Integer> now = stagesNow(live);
      if (midRun(now)) {
        stages = now;
        break;
      }
      // Spacing the arrivals is the scenario (jobs spread over the stages), not a wait for anything.
      Thread.sleep(60);
    }
    if (stages == null) {
      stages = Await.until("jobs in vision and in answer", () -> stagesNow(live), WorkerCrashTest::midRun);
    }
    PromScrape before = PromScrape.parse(env.get(victim.port(), "/metrics").bodyAsString());
    double victimInflight = before.samples("pipeline_stage_inflight").stream().mapToDouble(PromScrape.Sample::value).sum();
    victim.kill9();
    System.out.println("WORKER-CRASH killed pid=" + victim.pid() + " inflight-at-kill=" + victimInflight + " job-stages=" + stages);
    assertThat(stages.keySet()).as("jobs in vision and in answer at the kill").anyMatch(s -> s.startsWith("vision"))
      .anyMatch(s -> s.startsWith("answer"));
    assertThat(victimInflight).as("the killed worker held unacknowledged work").isPositive();

    EngineProcess replacement = env.start("worker-3", conf, "worker");
    for (int i = ids.size(); i < JOBS; i++) {
      String id = env.submit(api.port(), "https://example.com/photos/item-" + i + ".jpg");
      ids.add(id);
      live.put(id, env.stream(api.port(), id, null));
    }

    int done = 0;
    for (String id : ids) {
      List<SseFrame> frames = Await.result(live.get(id).ended());
      HistoryCheck.assertWhole("live SSE of " + id, HistoryCheck.fromFrames(frames), "done");
      // The log itself, not only what the API passed on, holds every step exactly once.
      HistoryCheck.assertWhole("Redis stream of " + id, HistoryCheck.fromStream(env.xrange(id)), "done");
      assertThat(env.get(api.port(), "/api/v1/scan/" + id + "/result").bodyAsJsonObject().getString("status"))
        .isEqualTo("completed");
      done++;
    }
    System.out.println("WORKER-CRASH jobs=" + JOBS + " done=" + done + " survivors=" + survivor.label() + "," + replacement.label());
    assertThat(done).isEqualTo(JOBS);
    for (String stage : DistributedEnv.STAGES) {
      assertThat(env.messageCount(env.prefix() + "." + stage + ".dlq")).as(stage + ".dlq").isZero();
    }
  }
}
