package io.eco2.scan.llm;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LogNormalLatencyTest {

  @Test
  void samplesReproduceTheConfiguredMean() {
    LogNormalLatency latency = LogNormalLatency.fit(4500, 10000, "m", "p");
    Random random = new Random(42);
    int n = 400_000;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += latency.sample(random.nextGaussian());
    }
    assertThat(sum / n).isCloseTo(4500, within(4500 * 0.01));
  }

  @Test
  void samplesReproduceTheConfiguredP99() {
    LogNormalLatency latency = LogNormalLatency.fit(6700, 10000, "m", "p");
    Random random = new Random(7);
    int n = 200_000;
    int over = 0;
    for (int i = 0; i < n; i++) {
      if (latency.sample(random.nextGaussian()) > 10000) {
        over++;
      }
    }
    assertThat(over / (double) n).isCloseTo(0.01, within(0.002));
  }

  @Test
  void closedFormMeanAndP99MatchTheInputs() {
    LogNormalLatency latency = LogNormalLatency.fit(4500, 10000, "m", "p");
    assertThat(latency.mean()).isCloseTo(4500, within(1e-6));
    assertThat(latency.quantile(LogNormalLatency.Z99)).isCloseTo(10000, within(1e-6));
  }

  @Test
  void p99NotAboveMeanIsRejectedNamingTheKey() {
    assertThatThrownBy(() -> LogNormalLatency.fit(4500, 4500, "llm.simulated.vision-mean-ms", "llm.simulated.vision-p99-ms"))
      .isInstanceOf(IllegalArgumentException.class)
      .hasMessageStartingWith("llm.simulated.vision-p99-ms: ");
  }

  @Test
  void p99TooFarAboveMeanIsRejectedNamingTheKey() {
    assertThatThrownBy(() -> LogNormalLatency.fit(100, 100_000, "llm.simulated.answer-mean-ms", "llm.simulated.answer-p99-ms"))
      .isInstanceOf(IllegalArgumentException.class)
      .hasMessageStartingWith("llm.simulated.answer-p99-ms: ");
  }
}
