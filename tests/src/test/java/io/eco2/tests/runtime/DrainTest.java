package io.eco2.tests.runtime;

import io.eco2.testkit.Await;
import io.eco2.tests.stages.ProbeStage;
import io.eco2.tests.support.EmbeddedEngine;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.eco2.tests.support.EmbeddedEngines;
import io.eco2.tests.support.SseFrame;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.eco2.tests.support.Frames.last;
import static io.eco2.tests.support.Frames.steps;
import static io.eco2.tests.support.Jobs.job;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Engine.drain}: intake closes at once (submit 503 {@code NOT_READY}, readiness 503) while accepted
 * jobs run to their end; the future reports how many were left (0 after a complete drain).
 */
@ExtendWith(EmbeddedEngineExtension.class)
class DrainTest {

  private static final int JOBS = 3;

  private static EmbeddedEngine start(EmbeddedEngines engines) {
    return engines.start(EmbeddedEngine.pipeline(List.of("probe"), null));
  }

  /** Submits {@link #JOBS} jobs held by the gate and waits until all are running. */
  private static List<String> runGated(EmbeddedEngine engine, String gate) {
    int baseline = ProbeStage.running();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      ids.add(engine.submitOk(job("gate=" + gate)));
    }
    Await.until("every gated job running", () -> ProbeStage.running() - baseline == JOBS);
    return ids;
  }

  @Test
  void submitAnswers503NotReadyWhileDraining(EmbeddedEngines engines) {
    String gate = UUID.randomUUID().toString();
    EmbeddedEngine engine = start(engines);
    try {
      runGated(engine, gate);
      Future<Long> drained = engine.engine().drain(Duration.ofSeconds(20));

      HttpResponse<Buffer> r = engine.submit(job("sleep=1"));
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.bodyAsJsonObject().getString("code")).isEqualTo("NOT_READY");

      ProbeStage.open(gate);
      assertThat(Await.result(drained)).isEqualTo(0L);
    } finally {
      ProbeStage.open(gate);
    }
  }

  @Test
  void readinessAnswers503WhileDraining(EmbeddedEngines engines) {
    String gate = UUID.randomUUID().toString();
    EmbeddedEngine engine = start(engines);
    try {
      runGated(engine, gate);
      assertThat(engine.get("/health/ready").statusCode()).isEqualTo(200);
      Future<Long> drained = engine.engine().drain(Duration.ofSeconds(20));

      assertThat(engine.get("/health/ready").statusCode()).isEqualTo(503);
      assertThat(engine.get("/health/live").statusCode()).isEqualTo(200);

      ProbeStage.open(gate);
      assertThat(Await.result(drained)).isEqualTo(0L);
    } finally {
      ProbeStage.open(gate);
    }
  }

  @Test
  void drainWaitsForRunningJobsThenCompletesWithZeroAndEveryJobEndedWithDone(EmbeddedEngines engines) {
    String gate = UUID.randomUUID().toString();
    EmbeddedEngine engine = start(engines);
    try {
      List<String> ids = runGated(engine, gate);
      List<Future<List<SseFrame>>> streams = new ArrayList<>();
      ids.forEach(id -> streams.add(engine.sse().follow(id)));
      Future<Long> drained = engine.engine().drain(Duration.ofSeconds(20));

      // The gate holds every job, so the drain cannot be complete (a state, not a timing bound).
      Await.until("readiness down while draining", () -> engine.get("/health/ready").statusCode() == 503);
      assertThat(drained.isComplete()).as("drain completed while %d jobs were still running", JOBS).isFalse();

      ProbeStage.open(gate);
      assertThat(Await.result(drained)).isEqualTo(0L);
      for (Future<List<SseFrame>> stream : streams) {
        List<SseFrame> frames = Await.result(stream);
        assertThat(last(frames).event()).as("%s", steps(frames)).isEqualTo("done");
      }
    } finally {
      ProbeStage.open(gate);
    }
  }

  @Test
  void aDrainThatRunsOutOfTimeReportsTheJobsStillUnfinished(EmbeddedEngines engines) {
    String gate = UUID.randomUUID().toString();
    EmbeddedEngine engine = start(engines);
    try {
      runGated(engine, gate);

      assertThat(Await.result(engine.engine().drain(Duration.ofMillis(200)))).isEqualTo((long) JOBS);

      // Let the jobs end before the engine closes (closing waits for executions in flight).
      ProbeStage.open(gate);
      assertThat(Await.result(engine.engine().drain(Duration.ofSeconds(20)))).isEqualTo(0L);
    } finally {
      ProbeStage.open(gate);
    }
  }
}
