package io.eco2.engine.scaling;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Rates from cumulative observations, the merging of worker reports, and windowed medians. */
class SignalsTest {

  private static StageObservation obs(long completed, double busy, long inflight, long ready, double quotaWaiters, double quotaSeconds) {
    return new StageObservation(completed, busy, inflight, ready, Double.NaN, quotaWaiters, quotaSeconds, 100, 1);
  }

  @Test
  void arrivalRateIsCompletionsPlusBacklogGrowth() {
    StageTracker t = new StageTracker(30_000);
    t.add(obs(0, 0, 0, 0, 0, 0), 0);
    // In 10 s: 40 finished (4.5 s each) and the backlog grew by 60: 100 arrived, 10/s.
    StageTracker.Rates r = t.add(obs(40, 180, 20, 40, 0, 0), 10_000);
    assertThat(r.arrivalRate()).isCloseTo(10.0, within(1e-9));
    assertThat(r.serviceSeconds()).isCloseTo(4.5, within(1e-9));
    assertThat(r.quotaWaiting()).isFalse();
    // Nothing finishes for a while: the last measured service time stays.
    assertThat(t.add(obs(40, 180, 20, 40, 0, 0), 11_000).serviceSeconds()).isCloseTo(4.5, within(1e-9));
  }

  @Test
  void quotaWaitingFromTheGaugeOrTheWaitTimeRate() {
    StageTracker t = new StageTracker(30_000);
    t.add(obs(0, 0, 0, 0, 0, 0), 0);
    assertThat(t.add(obs(0, 0, 0, 0, 2, 0), 1000).quotaWaiting()).isTrue();
    StageTracker u = new StageTracker(30_000);
    u.add(obs(0, 0, 0, 0, 0, 0), 0);
    // 10 s of waiting over 10 s: one caller waiting on average.
    assertThat(u.add(obs(0, 0, 0, 0, 0, 10), 10_000).quotaWaiting()).isTrue();
    assertThat(u.add(obs(0, 0, 0, 0, 0, 10), 40_500).quotaWaiting()).isFalse();
  }

  private static JsonObject report(long seq, long completed, double busy, long inflight) {
    return new JsonObject().put("seq", seq).put("stages", new JsonObject().put("vision", new JsonObject()
      .put("completed", completed).put("busy_seconds", busy).put("inflight", inflight).put("p50_ms", 4500.0)
      .put("quota_waiters", 0.0).put("quota_wait_seconds", 0.0).put("concurrency", 100)));
  }

  @Test
  void workerReportsAddUpAndCountersNeverGoBack() {
    WorkerAggregator agg = new WorkerAggregator(3000);
    List<String> stages = List.of("vision");
    Map<String, Long> ready = Map.of("vision", 41L);
    Map<String, JsonObject> reports = new LinkedHashMap<>();
    reports.put("a", report(1, 1000, 4500, 60));
    reports.put("b", report(1, 500, 2250, 40));
    StageObservation first = agg.update(reports, 0, stages, ready, Map.of("vision", 7)).get("vision");
    assertThat(first.inflight()).isEqualTo(100);
    assertThat(first.ready()).isEqualTo(41);
    assertThat(first.completed()).isZero(); // first sight is a baseline
    assertThat(first.currentReplicas()).isEqualTo(2);
    assertThat(first.perReplicaConcurrency()).isEqualTo(100);
    assertThat(first.p50Millis()).isEqualTo(4500.0);

    reports.put("a", report(2, 1010, 4545, 60));
    reports.put("b", report(2, 3, 13.5, 40)); // b restarted: its counters fell
    StageObservation second = agg.update(reports, 1000, stages, ready, Map.of()).get("vision");
    assertThat(second.completed()).isEqualTo(13);
    assertThat(second.busySeconds()).isCloseTo(58.5, within(1e-9));
  }

  @Test
  void aWorkerWhoseReportStandsStillIsDroppedAndOneThatLeftIsForgotten() {
    WorkerAggregator agg = new WorkerAggregator(3000);
    List<String> stages = List.of("vision");
    Map<String, JsonObject> reports = new LinkedHashMap<>();
    reports.put("a", report(1, 0, 0, 60));
    reports.put("b", report(1, 0, 0, 40));
    agg.update(reports, 0, stages, Map.of(), Map.of());
    reports.put("a", report(2, 0, 0, 60));
    agg.update(reports, 2000, stages, Map.of(), Map.of());
    reports.put("a", report(3, 0, 0, 60));
    StageObservation o = agg.update(reports, 4000, stages, Map.of(), Map.of()).get("vision");
    assertThat(o.inflight()).isEqualTo(60);
    assertThat(o.currentReplicas()).isEqualTo(1);
    assertThat(agg.dead()).containsExactly("b");
    reports.remove("b");
    agg.update(reports, 5000, stages, Map.of(), Map.of());
    assertThat(agg.dead()).isEmpty();
    assertThat(agg.live()).containsExactly("a");
  }

  @Test
  void windowedMedianInterpolatesWithinItsBucket() {
    double[] bounds = {100, 1000, 5000, 10000};
    double[] before = {10, 10, 10, 10};
    double[] after = {10, 10, 110, 110};
    // The 100 executions of the window all fell in (1000, 5000]: the median is half-way, 3000.
    assertThat(LocalStageStats.median(bounds, after, before)).isCloseTo(3000.0, within(1e-9));
    assertThat(LocalStageStats.median(bounds, before, before)).isNaN();
  }
}
