package io.eco2.tests.runtime;

import io.eco2.testkit.LogCapture;
import io.eco2.tests.support.EmbeddedEngine;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.eco2.tests.support.EmbeddedEngines;
import io.eco2.tests.support.SseFrame;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.eco2.tests.support.Frames.single;
import static io.eco2.tests.support.Frames.steps;
import static io.eco2.tests.support.Jobs.job;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stage whose policy says {@code blocking} runs on worker threads, never on an event loop. The Vert.x
 * instance here has a strict blocked-thread checker (1 s), so a 1.5 s blocking call on an event loop
 * would be reported; the test listens for that report. It listens only after a warm-up job, because a cold
 * JVM's class loading (Netty, JFR) can itself hold an event loop for ~100 ms.
 */
@ExtendWith(EmbeddedEngineExtension.class)
class BlockingStageTest {

  /**
   * A blocked-thread checker strict enough to report the stage's blocking call were it on an event loop,
   * yet not an event loop merely starved of CPU by other processes (which can stall one for a few hundred ms).
   */
  private static final VertxOptions STRICT = new VertxOptions()
    .setBlockedThreadCheckInterval(20).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
    .setMaxEventLoopExecuteTime(1000).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS);

  private static EmbeddedEngine start(EmbeddedEngines engines, int concurrency) {
    return engines.start(engines.vertx(STRICT), EmbeddedEngine.pipeline(List.of("blocking"), new JsonObject()
      .put("blocking", new JsonObject().put("concurrency", concurrency).put("instances", 1))));
  }

  @Test
  void aBlockingStageRunsOffTheEventLoop(EmbeddedEngines engines) {
    EmbeddedEngine engine = start(engines, 1);
    List<SseFrame> frames = engine.sse().toEnd(engine.submitOk(job("sleep=50")));

    assertThat(steps(frames)).endsWith("blocking/completed", "done/completed");
    assertThat(single(frames, "blocking", "completed").json().getJsonObject("result"))
      .isEqualTo(new JsonObject().put("blocking", new JsonObject().put("on_event_loop", false)));
  }

  @Test
  void eightConcurrentBlockingExecutionsAllCompleteWithoutBlockingAnEventLoop(EmbeddedEngines engines) {
    EmbeddedEngine engine = start(engines, 8);
    engine.sse().toEnd(engine.submitOk(job("sleep=1")));
    try (LogCapture blockedThreads = LogCapture.of("io.vertx.core.impl.BlockedThreadChecker")) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        ids.add(engine.submitOk(job("sleep=1500")));
      }

      List<List<SseFrame>> streams = new ArrayList<>();
      for (String id : ids) {
        streams.add(engine.sse().toEnd(id));
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
