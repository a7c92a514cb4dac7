package io.eco2.tests.distributed;

import io.eco2.testkit.Await;
import io.eco2.testkit.TcpProxy;
import io.eco2.tests.support.DistributedEnv;
import io.eco2.tests.support.EngineProcess;
import io.eco2.tests.support.HistoryCheck;
import io.eco2.tests.support.Jobs;
import io.eco2.tests.support.SseFrame;
import io.eco2.tests.support.SseRecording;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Streams recover by themselves (CONTRACT §8 "Events route on backend failure", "Draining"): an EventSource
 * gives up for good on any non-200 answer, so the events route answers 404 only for a job known not to
 * exist; a stream opened while Redis is unreachable waits inside its 200 response; a draining API ends its
 * streams at once so their clients resume on another instance.
 */
class StreamRecoveryTest {

  @RegisterExtension
  final DistributedEnv env = new DistributedEnv();
  private TcpProxy redisProxy;

  @BeforeEach
  void setUp() {
    redisProxy = TcpProxy.start(env.vertx(), 6379);
  }

  @AfterEach
  void tearDown() {
    redisProxy.close();
  }

  private static JsonObject latency(double scale) {
    return new JsonObject().put("llm", new JsonObject().put("simulated", new JsonObject().put("latency-scale", scale)));
  }

  @Test
  void aStreamOpenedWhileRedisIsUnreachableAnswers200AndDeliversTheWholeJobOnceRedisIsBack() throws Exception {
    Path apiConf = env.config("api", latency(0.3)
      .put("redis", new JsonObject().put("url", "redis://127.0.0.1:" + redisProxy.port())));
    Path workerConf = env.config("worker", latency(0.3));
    EngineProcess api = env.start("api", apiConf, "api");
    env.start("worker", workerConf, "worker");
    String id = env.submit(api.port(), "https://example.com/photos/pet-bottle.jpg");

    redisProxy.down();
    Await.until("the API not ready while Redis is down", () -> env.get(api.port(), "/health/ready").statusCode() == 503);
    SseRecording stream = env.stream(api.port(), id, null);

    assertThat(stream.status()).as("an EventSource must not get a non-200 answer for a backend failure").isEqualTo(200);
    redisProxy.up();
    List<SseFrame> frames = Await.result(stream.ended());
    HistoryCheck.assertWhole("stream opened while Redis was down", HistoryCheck.fromFrames(frames), "done");
  }

  @Test
  void anUnknownJobStillAnswers404WhenRedisAnswers() throws Exception {
    EngineProcess api = env.start("api", env.config("api", latency(0.3)), "api");

    SseRecording stream = env.stream(api.port(), "00000000-0000-4000-8000-000000000000", null);

    assertThat(stream.status()).isEqualTo(404);
  }

  @Test
  void aDrainingApiEndsItsStreamsAtOnceAndTheirClientsResumeOnAnotherInstance() throws Exception {
    // No worker yet: the job waits in the first queue, so a drain that waited for the pipeline to empty
    // would hold the stream for all of its 600 s.
    Path conf = env.config("app", latency(0.3).put("pipeline", new JsonObject().put("drain-seconds", 600)));
    EngineProcess draining = env.start("api-1", conf, "api");
    EngineProcess other = env.start("api-2", conf, "api");
    String id = env.submit(draining.port(), "https://example.com/photos/pet-bottle.jpg");
    SseRecording first = env.stream(draining.port(), id, null);
    Await.until("the first stream's queued frame", () -> first.frames().stream().anyMatch(f -> "queued".equals(f.event())));

    draining.terminate();
    List<SseFrame> before = Await.result(first.ended());

    assertThat(Jobs.terminalSeen(before)).isFalse();
    env.start("worker", conf, "worker");
    SseRecording resumed = env.stream(other.port(), id, Jobs.lastEventId(before));
    List<SseFrame> after = Await.result(resumed.ended());
    HistoryCheck.assertWhole("stream resumed on another API", HistoryCheck.union(List.of(
      HistoryCheck.fromFrames(before), HistoryCheck.fromFrames(after))), "done");
    assertThat(HistoryCheck.fromFrames(after)).as("nothing sent twice").noneMatch(s -> HistoryCheck.fromFrames(before).contains(s));
  }
}
