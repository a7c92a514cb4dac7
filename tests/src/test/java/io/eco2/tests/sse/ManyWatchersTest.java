package io.eco2.tests.sse;

import io.eco2.testkit.Await;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.eco2.tests.support.Gate;
import io.eco2.tests.support.SseFrame;
import io.eco2.tests.support.SseRecording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static io.eco2.tests.support.ApiChecks.metric;
import static io.eco2.tests.support.ApiChecks.scan;
import static io.eco2.tests.support.Frames.fingerprint;
import static io.eco2.tests.support.Frames.steps;
import static org.assertj.core.api.Assertions.assertThat;

/** Many clients on one job (CONTRACT §2, §6): everyone sees the same stream, and the gauge returns to 0. */
class ManyWatchersTest {

  @RegisterExtension
  static final EmbeddedEngineExtension ENGINE = EmbeddedEngineExtension.with(List.of("probe", "guarded"), null);

  private static final int WATCHERS = 50;
  private static final String GAUGE = "scan_sse_connections_active";

  /** Opens the watchers on a job held at {@code guarded}, waits until each saw it start there, opens the gate. */
  private static List<List<SseFrame>> watch(String userInputBesidesGate, Runnable whileAllWatch) {
    try (Gate gate = new Gate()) {
      String id = ENGINE.engine().submitOk(scan(gate.directive("guarded") + " " + userInputBesidesGate));
      List<SseRecording> recs = new ArrayList<>();
      for (int i = 0; i < WATCHERS; i++) {
        recs.add(ENGINE.sse().open(id));
      }
      for (SseRecording r : recs) {
        Await.until("the watcher saw guarded start", () -> steps(r.frames()).contains("guarded/started"));
      }
      whileAllWatch.run();
      gate.open();
      List<List<SseFrame>> all = new ArrayList<>();
      for (SseRecording r : recs) {
        all.add(r.awaitEnd());
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
    watch("x", () -> seen[0] = metric(ENGINE.engine(), GAUGE, null));
    assertThat(seen[0]).isEqualTo(WATCHERS);
  }

  @Test
  void theConnectionGaugeGoesBackToZeroAfterTheStreamsEnd() {
    watch("x", () -> { });
    Await.until("no stream counted", () -> metric(ENGINE.engine(), GAUGE, null) == 0.0);
    assertThat(metric(ENGINE.engine(), GAUGE, null)).isZero();
  }

  @Test
  void theConnectionGaugeGoesBackToZeroWhenClientsDisconnect() {
    try (Gate gate = new Gate()) {
      String id = ENGINE.engine().submitOk(scan(gate.directive("guarded")));
      List<SseRecording> recs = new ArrayList<>();
      for (int i = 0; i < WATCHERS; i++) {
        recs.add(ENGINE.sse().open(id));
      }
      Await.until("every watcher counted", () -> metric(ENGINE.engine(), GAUGE, null) == WATCHERS);
      recs.forEach(SseRecording::disconnect);
      Await.until("no stream counted", () -> metric(ENGINE.engine(), GAUGE, null) == 0.0);
      assertThat(metric(ENGINE.engine(), GAUGE, null)).isZero();
    }
  }
}
