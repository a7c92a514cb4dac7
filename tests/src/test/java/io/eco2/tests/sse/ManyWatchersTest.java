package io.eco2.tests.sse;

import io.eco2.tests.support.EngineHarness;
import io.eco2.tests.support.Gate;
import io.eco2.tests.support.SseClient;
import io.eco2.tests.support.SseFrame;
import io.eco2.tests.support.SseRecording;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.eco2.tests.support.ApiChecks.fingerprint;
import static io.eco2.tests.support.ApiChecks.metric;
import static io.eco2.tests.support.ApiChecks.scan;
import static io.eco2.tests.support.ApiChecks.steps;
import static io.eco2.tests.support.EngineHarness.await;
import static io.eco2.tests.support.EngineHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** Many clients on one job (CONTRACT §2, §6): everyone sees the same stream, and the gauge returns to 0. */
@ExtendWith(VertxExtension.class)
class ManyWatchersTest {

  private static final int WATCHERS = 50;
  private static final Duration END = Duration.ofSeconds(10);
  private static final String GAUGE = "scan_sse_connections_active";

  private static Vertx vertx;
  private static EngineHarness engine;
  private static SseClient sse;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    engine = EngineHarness.start(vertx, EngineHarness.pipeline(List.of("probe", "guarded"), null));
    sse = new SseClient(vertx, engine.port(), WATCHERS + 10);
  }

  @AfterAll
  static void stop() {
    if (sse != null) {
      sse.close();
    }
    if (engine != null) {
      engine.close();
    }
    await(vertx.close());
  }

  /** Opens the watchers on a job held at {@code guarded}, waits until each saw it start there, opens the gate. */
  private static List<List<SseFrame>> watch(String userInputBesidesGate, Runnable whileAllWatch) {
    try (Gate gate = new Gate()) {
      String id = engine.submitOk(scan(gate.directive("guarded") + " " + userInputBesidesGate));
      List<SseRecording> recs = new ArrayList<>();
      for (int i = 0; i < WATCHERS; i++) {
        recs.add(sse.open(id));
      }
      for (SseRecording r : recs) {
        eventually(() -> steps(r.frames()).contains("guarded/started"));
      }
      whileAllWatch.run();
      gate.open();
      List<List<SseFrame>> all = new ArrayList<>();
      for (SseRecording r : recs) {
        all.add(SseClient.toEnd(r, END));
      }
      return all;
    }
  }

  @Test
  void fiftyWatchersOfOneJobReceiveTheIdenticalEventList() {
    List<List<SseFrame>> all = watch("x", () -> { });
    List<String> reference = fingerprint(all.get(0));
    assertThat(steps(all.get(0))).containsExactly("queued/completed", "probe/started", "probe/completed",
      "guarded/started", "guarded/completed", "done/completed");
    for (int i = 1; i < all.size(); i++) {
      assertThat(fingerprint(all.get(i))).as("watcher %d", i).isEqualTo(reference);
    }
  }

  @Test
  void theConnectionGaugeCountsOpenStreams() {
    double[] seen = new double[1];
    watch("x", () -> seen[0] = metric(engine, GAUGE, null));
    assertThat(seen[0]).isEqualTo(WATCHERS);
  }

  @Test
  void theConnectionGaugeGoesBackToZeroAfterTheStreamsEnd() {
    watch("x", () -> { });
    eventually(() -> metric(engine, GAUGE, null) == 0.0);
    assertThat(metric(engine, GAUGE, null)).isZero();
  }

  @Test
  void theConnectionGaugeGoesBackToZeroWhenClientsDisconnect() {
    try (Gate gate = new Gate()) {
      String id = engine.submitOk(scan(gate.directive("guarded")));
      List<SseRecording> recs = new ArrayList<>();
      for (int i = 0; i < WATCHERS; i++) {
        recs.add(sse.open(id));
      }
      eventually(() -> metric(engine, GAUGE, null) == WATCHERS);
      recs.forEach(SseRecording::disconnect);
      eventually(() -> metric(engine, GAUGE, null) == 0.0);
      assertThat(metric(engine, GAUGE, null)).isZero();
    }
  }
}
