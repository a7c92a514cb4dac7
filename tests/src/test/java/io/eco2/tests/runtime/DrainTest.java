package io.eco2.tests.runtime;

import io.eco2.tests.stages.ProbeStage;
import io.eco2.tests.support.EngineHarness;
import io.eco2.tests.support.SseFrame;
import io.eco2.tests.support.SseHistory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.eco2.tests.support.EngineHarness.await;
import static io.eco2.tests.support.EngineHarness.eventually;
import static io.eco2.tests.support.Jobs.job;
import static io.eco2.tests.support.Jobs.last;
import static io.eco2.tests.support.Jobs.steps;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Engine.drain}: intake closes at once (submit 503 {@code NOT_READY}, readiness 503) while accepted
 * jobs run to their end; the future reports how many were left (0 after a complete drain).
 */
@ExtendWith(VertxExtension.class)
class DrainTest {

  private static final int JOBS = 3;

  private static EngineHarness start(Vertx vertx) {
    return EngineHarness.start(vertx, EngineHarness.pipeline(List.of("probe"), null));
  }

  /** Submits {@link #JOBS} jobs held by the gate and waits until all are running. */
  private static List<String> runGated(EngineHarness engine, String gate) {
    int baseline = ProbeStage.running();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      ids.add(engine.submitOk(job("gate=" + gate)));
    }
    eventually(() -> ProbeStage.running() - baseline == JOBS);
    return ids;
  }

  @Test
  void submitAnswers503NotReadyWhileDraining(Vertx vertx) {
    String gate = UUID.randomUUID().toString();
    try (EngineHarness engine = start(vertx)) {
      runGated(engine, gate);
      Future<Long> drained = engine.engine().drain(Duration.ofSeconds(20));

      HttpResponse<Buffer> r = engine.submit(job("sleep=1"));
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.bodyAsJsonObject().getString("code")).isEqualTo("NOT_READY");

      ProbeStage.open(gate);
      assertThat(await(drained)).isEqualTo(0L);
    } finally {
      ProbeStage.open(gate);
    }
  }

  @Test
  void readinessAnswers503WhileDraining(Vertx vertx) {
    String gate = UUID.randomUUID().toString();
    try (EngineHarness engine = start(vertx)) {
      runGated(engine, gate);
      assertThat(engine.get("/health/ready").statusCode()).isEqualTo(200);
      Future<Long> drained = engine.engine().drain(Duration.ofSeconds(20));

      assertThat(engine.get("/health/ready").statusCode()).isEqualTo(503);
      assertThat(engine.get("/health/live").statusCode()).isEqualTo(200);

      ProbeStage.open(gate);
      assertThat(await(drained)).isEqualTo(0L);
    } finally {
      ProbeStage.open(gate);
    }
  }

  @Test
  void drainWaitsForRunningJobsThenCompletesWithZeroAndEveryJobEndedWithDone(Vertx vertx) {
    String gate = UUID.randomUUID().toString();
    try (EngineHarness engine = start(vertx)) {
      List<String> ids = runGated(engine, gate);
      SseHistory sse = SseHistory.of(vertx, engine);
      List<Future<List<SseFrame>>> streams = new ArrayList<>();
      ids.forEach(id -> streams.add(sse.toEnd(id)));
      Future<Long> drained = engine.engine().drain(Duration.ofSeconds(20));

      // The gate holds every job, so the drain cannot be complete (a state, not a timing bound).
      eventually(() -> engine.get("/health/ready").statusCode() == 503);
      assertThat(drained.isComplete()).as("drain completed while %d jobs were still running", JOBS).isFalse();

      ProbeStage.open(gate);
      assertThat(await(drained)).isEqualTo(0L);
      for (Future<List<SseFrame>> stream : streams) {
        List<SseFrame> frames = await(stream);
        assertThat(last(frames).event()).as("%s", steps(frames)).isEqualTo("done");
      }
    } finally {
      ProbeStage.open(gate);
    }
  }

  @Test
  void aDrainThatRunsOutOfTimeReportsTheJobsStillUnfinished(Vertx vertx) {
    String gate = UUID.randomUUID().toString();
    try (EngineHarness engine = start(vertx)) {
      runGated(engine, gate);

      assertThat(await(engine.engine().drain(Duration.ofMillis(200)))).isEqualTo((long) JOBS);

      // Let the jobs end before the engine closes (closing waits for executions in flight).
      ProbeStage.open(gate);
      assertThat(await(engine.engine().drain(Duration.ofSeconds(20)))).isEqualTo(0L);
    } finally {
      ProbeStage.open(gate);
    }
  }
}
