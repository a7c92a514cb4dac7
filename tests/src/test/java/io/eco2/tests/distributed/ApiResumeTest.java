package io.eco2.tests.distributed;

import io.eco2.testkit.Await;
import io.eco2.tests.support.DistributedEnv;
import io.eco2.tests.support.EngineProcess;
import io.eco2.tests.support.HistoryCheck;
import io.eco2.tests.support.Jobs;
import io.eco2.tests.support.SseFrame;
import io.eco2.tests.support.SseRecording;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CONTRACT §2 Resume "no event is lost and none is sent twice, also across an API restart in distributed
 * mode": the log lives in Redis, so any API instance serves any job's stream, and a client resuming with
 * {@code Last-Event-ID} on another instance, or on a restarted one, continues exactly where it stopped.
 */
class ApiResumeTest {

  @RegisterExtension
  final DistributedEnv env = new DistributedEnv();

  @Test
  void aStreamOpenedOnOneApiResumesOnAnotherWithNoGapAndNoDuplicate() throws Exception {
    Path conf = env.config("app", new JsonObject()
      .put("llm", new JsonObject().put("simulated", new JsonObject().put("latency-scale", 0.3))));
    EngineProcess a = env.start("api-a", conf, "api");
    EngineProcess b = env.start("api-b", conf, "api");
    env.start("worker", conf, "worker");

    String id = env.submit(a.port(), "https://example.com/photos/can.jpg");
    SseRecording onB = env.stream(b.port(), id, null);
    onB.awaitEvents(3);
    onB.disconnect();
    List<SseFrame> partB = onB.frames();
    SseRecording onA = env.stream(a.port(), id, Jobs.lastEventId(partB));
    List<SseFrame> partA = onA.awaitEnd();

    List<HistoryCheck.Step> whole = new ArrayList<>(HistoryCheck.fromFrames(partB));
    whole.addAll(HistoryCheck.fromFrames(partA));
    System.out.println("API-RESUME across-instances events-on-B=" + HistoryCheck.fromFrames(partB).size()
      + " events-on-A=" + HistoryCheck.fromFrames(partA).size());
    HistoryCheck.assertWhole("B then A for " + id, whole, "done");
    assertThat(whole).isEqualTo(HistoryCheck.fromStream(env.xrange(id)));
    // A late subscriber on B (the job is over) gets the whole history.
    HistoryCheck.assertWhole("late on B", HistoryCheck.fromFrames(env.sse(b.port()).toEnd(id)), "done");
  }

  @Test
  void aClientResumesAcrossAnApiRestartWithNoGapAndNoDuplicate() throws Exception {
    Path conf = env.config("app", new JsonObject()
      .put("pipeline", new JsonObject().put("drain-seconds", 2))
      .put("llm", new JsonObject().put("simulated", new JsonObject().put("latency-scale", 0.6))));
    EngineProcess api = env.start("api", conf, "api");
    env.start("worker", conf, "worker");

    String id = env.submit(api.port(), "https://example.com/photos/pet-bottle.jpg");
    SseRecording before = env.stream(api.port(), id, null);
    before.awaitEvents(2);
    before.disconnect();
    List<SseFrame> partBefore = before.frames();

    api.terminate();
    api.awaitExit(); // the JVM's SIGTERM exit code (143): the contract names none
    assertThat(api.output()).as("orderly shutdown").contains("stopped");
    // Let the job progress while no API runs, so the resumed stream must fetch what happened meanwhile.
    int seen = HistoryCheck.fromFrames(partBefore).size();
    Await.until("an event logged while the API is down", () -> env.xrange(id).size() > seen);
    int loggedWhileDown = env.xrange(id).size() - seen;
    assertThat(loggedWhileDown).as("events logged while the API was down").isPositive();
    EngineProcess restarted = env.start("api-restarted", conf, "api");
    SseRecording after = env.stream(restarted.port(), id, Jobs.lastEventId(partBefore));
    List<SseFrame> partAfter = after.awaitEnd();

    List<HistoryCheck.Step> whole = new ArrayList<>(HistoryCheck.fromFrames(partBefore));
    whole.addAll(HistoryCheck.fromFrames(partAfter));
    System.out.println("API-RESUME across-restart events-before=" + HistoryCheck.fromFrames(partBefore).size()
      + " logged-while-api-down=" + loggedWhileDown + " events-after=" + HistoryCheck.fromFrames(partAfter).size());
    HistoryCheck.assertWhole("before and after the restart for " + id, whole, "done");
    assertThat(whole).isEqualTo(HistoryCheck.fromStream(env.xrange(id)));
    assertThat(HistoryCheck.fromFrames(partAfter)).as("events received after the restart").isNotEmpty();
  }
}
