package io.eco2.tests.runtime;

import io.eco2.testkit.LogCapture;
import io.eco2.tests.support.EngineHarness;
import io.eco2.tests.support.SseFrame;
import io.eco2.tests.support.SseHistory;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.eco2.tests.support.Jobs.job;
import static io.eco2.tests.support.Jobs.single;
import static io.eco2.tests.support.Jobs.steps;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stage whose policy says {@code blocking} runs on worker threads, never on an event loop. The Vert.x
 * instance here has a strict blocked-thread checker (200 ms), so a 300 ms blocking call on an event loop
 * would be reported; the test listens for that report. It listens only after a warm-up job, because a cold
 * JVM's class loading (Netty, JFR) can itself hold an event loop for ~100 ms.
 */
class BlockingStageTest {

  private Vertx vertx;
  private LogCapture blockedThreads;

  @BeforeEach
  void strictVertx() {
    vertx = Vertx.vertx(new VertxOptions()
      .setBlockedThreadCheckInterval(20).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
      .setMaxEventLoopExecuteTime(200).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
  }

  @AfterEach
  void close() {
    if (blockedThreads != null) {
      blockedThreads.close();
    }
    EngineHarness.await(vertx.close());
  }

  private EngineHarness start(int concurrency) {
    return EngineHarness.start(vertx, EngineHarness.pipeline(List.of("blocking"), new JsonObject()
      .put("blocking", new JsonObject().put("concurrency", concurrency).put("instances", 1))));
  }

  @Test
  void aBlockingStageRunsOffTheEventLoop() {
    try (EngineHarness engine = start(1)) {
      List<SseFrame> frames = SseHistory.of(vertx, engine).awaitEnd(engine.submitOk(job("sleep=50")));

      assertThat(steps(frames)).endsWith("blocking/completed", "done/completed");
      assertThat(single(frames, "blocking", "completed").json().getJsonObject("result"))
        .isEqualTo(new JsonObject().put("blocking", new JsonObject().put("on_event_loop", false)));
    }
  }

  @Test
  void eightConcurrentBlockingExecutionsAllCompleteWithoutBlockingAnEventLoop() {
    try (EngineHarness engine = start(8)) {
      SseHistory.of(vertx, engine).awaitEnd(engine.submitOk(job("sleep=1")));
      blockedThreads = LogCapture.of("io.vertx.core.impl.BlockedThreadChecker");
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        ids.add(engine.submitOk(job("sleep=300")));
      }

      List<List<SseFrame>> streams = new ArrayList<>();
      for (String id : ids) {
        streams.add(SseHistory.of(vertx, engine).awaitEnd(id));
      }

      assertThat(blockedThreads.messages()).as("blocked-thread reports").isEmpty();
      for (List<SseFrame> frames : streams) {
        assertThat(steps(frames)).endsWith("blocking/completed", "done/completed");
        assertThat(single(frames, "blocking", "completed").json().getJsonObject("result")
          .getJsonObject("blocking").getBoolean("on_event_loop")).as("ran on an event loop").isFalse();
      }
    }
  }
}
