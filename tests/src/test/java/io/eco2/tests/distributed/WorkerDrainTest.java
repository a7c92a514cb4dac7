package io.eco2.tests.distributed;

import io.eco2.testkit.Await;
import io.eco2.testkit.Command;
import io.eco2.tests.fakeopenai.FakeOpenAiOptions;
import io.eco2.tests.fakeopenai.FakeOpenAiServer;
import io.eco2.tests.fakeopenai.Fault;
import io.eco2.tests.support.DistributedEnv;
import io.eco2.tests.support.EmbeddedEngine;
import io.eco2.tests.support.EngineProcess;
import io.eco2.tests.support.HistoryCheck;
import io.eco2.tests.support.SseFrame;
import io.eco2.tests.support.SseRecording;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker's SIGTERM hands its work over (README "How it stays correct"): consumers stop, an attempt that
 * cannot finish within {@code pipeline.drain-seconds} is cancelled (its LLM call reset) and requeued at once
 * for another worker without counting as a failed attempt, and the process exits.
 */
class WorkerDrainTest {

  @RegisterExtension
  final DistributedEnv env = new DistributedEnv();

  private static JsonObject simulated(JsonObject values) {
    return new JsonObject().put("llm", new JsonObject().put("simulated", values));
  }

  private EngineProcess draining;
  private SseRecording stream;
  private Path fast;

  /** An API, and one worker whose vision call takes about 40 s, far beyond its drain, running one job's vision. */
  private void startVisionOnSlowWorker(int drainSeconds) throws Exception {
    Path slow = env.config("slow", simulated(new JsonObject().put("vision-mean-ms", 40_000).put("vision-p99-ms", 45_000))
      .put("pipeline", new JsonObject().put("drain-seconds", drainSeconds)));
    fast = env.config("fast", simulated(new JsonObject().put("latency-scale", 0.1)));
    EngineProcess api = env.start("api", fast, "api");
    draining = env.start("worker-slow", slow, "worker");
    String id = env.submit(api.port(), "https://example.com/photos/pet-bottle.jpg");
    stream = env.stream(api.port(), id, null);
    Await.until("the vision frame on the stream", () -> stream.frames().stream().anyMatch(f -> "vision".equals(f.event())));
  }

  @Test
  void aSigtermedWorkerHandsItsUnfinishableAttemptToAnotherWorkerWithoutARetry() throws Exception {
    startVisionOnSlowWorker(2);

    draining.terminate();
    int status = draining.awaitExit(30);
    env.start("worker-fast", fast, "worker");
    List<SseFrame> frames = Await.result(stream.ended());

    HistoryCheck.assertWhole("job handed over", HistoryCheck.fromFrames(frames), "done");
    assertThat(HistoryCheck.fromFrames(frames)).as("a hand-over is no failed attempt").noneMatch(s -> "retrying".equals(s.status()));
    assertThat(status).as("exit status of SIGTERM").isEqualTo(143);
    assertThat(draining.output()).contains("SIGTERM: intake stopped").contains("1 jobs unfinished (handed over");
  }

  @Test
  void aSecondSigintEndsTheDrainAtOnce() throws Exception {
    startVisionOnSlowWorker(600);

    Command.run("kill", "-INT", Long.toString(draining.pid()));
    Await.until("the worker draining after SIGINT", () -> draining.output().contains("SIGINT: intake stopped"));
    Command.run("kill", "-INT", Long.toString(draining.pid()));

    // Within the harness's bound, far below the 600 s drain: only the second signal can end it that soon.
    assertThat(draining.awaitExit(30)).as("exit status of SIGINT").isEqualTo(130);
    assertThat(draining.output()).contains("SIGINT again: ending the drain now");
    env.start("worker-fast", fast, "worker");
    HistoryCheck.assertWhole("job handed over", HistoryCheck.fromFrames(Await.result(stream.ended())), "done");
  }

  /** An OpenAI-compatible server whose first call (the job's vision) never answers; later calls answer at once. */
  private FakeOpenAiServer hangingLlm() {
    FakeOpenAiServer llm = Await.result(FakeOpenAiServer.start(env.vertx(), new FakeOpenAiOptions().setPort(0)
      .setLatencyScale(0.01)), "fake OpenAI server started");
    return llm.script(Fault.HANG);
  }

  /** Workers calling {@code llm}, with limits far beyond the drain: only a cancellation can end the hanging call. */
  private Path openAiConfig(FakeOpenAiServer llm, int drainSeconds) {
    return env.config("openai", new JsonObject()
      .put("llm", new JsonObject().put("provider", "openai").put("base-url", llm.baseUrl())
        .put("response-timeout-ms", 120_000).put("max-retries", 0))
      .put("stages", new JsonObject().put("vision", new JsonObject().put("timeout-ms", 120_000)))
      .put("pipeline", new JsonObject().put("drain-seconds", drainSeconds)));
  }

  @Test
  void aDrainResetsTheLlmRequestOfTheAttemptItHandsOver() throws Exception {
    FakeOpenAiServer llm = hangingLlm();
    Path conf = openAiConfig(llm, 1);
    EngineProcess api = env.start("api", conf, "api");
    // The worker in this JVM, so that the request is seen reset while its engine (and HTTP client) still runs.
    EmbeddedEngine worker = EmbeddedEngine.start(env.vertx(),
      new JsonObject(Files.readString(conf)).put("role", "worker"));
    try {
      String id = env.submit(api.port(), "https://example.com/photos/pet-bottle.jpg");
      SseRecording job = env.stream(api.port(), id, null);
      Await.until("the vision call hangs at the LLM", () -> llm.stats().count(Fault.HANG) == 1);

      long handedOver = Await.result(worker.engine().drain(Duration.ofSeconds(1)), "drain");

      assertThat(handedOver).as("attempts handed over").isEqualTo(1);
      Await.until("the LLM saw its request reset", () -> llm.stats().abandonedHangs() == 1);
      worker.close();
      env.start("worker-2", conf, "worker");
      List<SseFrame> frames = Await.result(job.ended());
      HistoryCheck.assertWhole("job handed over", HistoryCheck.fromFrames(frames), "done");
      assertThat(HistoryCheck.fromFrames(frames)).as("a hand-over is no failed attempt").noneMatch(s -> "retrying".equals(s.status()));
    } finally {
      worker.close();
    }
  }

  @Test
  void aSigtermedWorkerWhoseLlmCallHangsExitsWithinTheDrainPlusFiveSecondsAndTheJobCompletesElsewhere() throws Exception {
    int drainSeconds = 2;
    FakeOpenAiServer llm = hangingLlm();
    Path conf = openAiConfig(llm, drainSeconds);
    EngineProcess api = env.start("api", conf, "api");
    EngineProcess worker = env.start("worker-1", conf, "worker");
    String id = env.submit(api.port(), "https://example.com/photos/pet-bottle.jpg");
    SseRecording job = env.stream(api.port(), id, null);
    Await.until("the vision call hangs at the LLM", () -> llm.stats().count(Fault.HANG) == 1);

    worker.terminate();

    // The promise of README "Shutdown hands work over", not a performance figure.
    assertThat(worker.awaitExit(drainSeconds + 5)).as("exit status of SIGTERM").isEqualTo(143);
    assertThat(worker.output()).contains("1 jobs unfinished (handed over");
    assertThat(llm.stats().abandonedHangs()).as("the hanging call given up").isEqualTo(1);
    env.start("worker-2", conf, "worker");
    List<SseFrame> frames = Await.result(job.ended());
    HistoryCheck.assertWhole("job handed over", HistoryCheck.fromFrames(frames), "done");
    assertThat(HistoryCheck.fromFrames(frames)).as("a hand-over is no failed attempt").noneMatch(s -> "retrying".equals(s.status()));
  }
}
