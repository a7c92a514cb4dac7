package io.eco2.tests.load;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Percentiles within HdrHistogram's 0.1 % of the exact ones; the mean exact. */
class LatencyRecorderTest {

  @Test
  void percentilesOfOneToOneThousandMilliseconds() {
    LatencyRecorder r = new LatencyRecorder();
    // Shuffled order: the result must not depend on it.
    for (int i = 0; i < 1000; i++) {
      r.recordMillis((i * 7919L) % 1000 + 1);
    }
    assertThat(r.count()).isEqualTo(1000);
    assertThat(r.percentile(50)).isCloseTo(500, within(0.5));
    assertThat(r.percentile(90)).isCloseTo(900, within(0.9));
    assertThat(r.percentile(95)).isCloseTo(950, within(0.95));
    assertThat(r.percentile(99)).isCloseTo(990, within(0.99));
    assertThat(r.max()).isCloseTo(1000, within(1.0));
    assertThat(r.mean()).isCloseTo(500.5, within(1e-9));
  }

  @Test
  void aSkewedDistributionPutsTheTailInTheHighPercentiles() {
    LatencyRecorder r = new LatencyRecorder();
    for (int i = 0; i < 98; i++) {
      r.recordNanos(10_000_000);
    }
    r.recordMillis(5_000);
    r.recordMillis(12_000);
    assertThat(r.percentile(95)).isCloseTo(10, within(0.01));
    assertThat(r.percentile(99)).isCloseTo(5_000, within(5.0));
    assertThat(r.max()).isCloseTo(12_000, within(12.0));
  }

  @Test
  void emptyIsZeroAndNegativeOrHugeValuesAreClamped() {
    LatencyRecorder r = new LatencyRecorder();
    assertThat(r.toJson()).isEqualTo(new JsonObject().put("count", 0L).put("mean", 0.0).put("p50", 0.0)
      .put("p90", 0.0).put("p95", 0.0).put("p99", 0.0).put("max", 0.0));
    r.recordMillis(-5);
    r.recordMillis(10L * 3_600_000);
    assertThat(r.count()).isEqualTo(2);
    assertThat(r.percentile(50)).isLessThan(0.01);
    assertThat(r.max()).isCloseTo(3_600_000, within(3_600.0));
  }
}
