package io.eco2.scan.llm;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SimulatedLlmConfigTest {

  @Test
  void missingSectionTakesTheDocumentedDefaults() {
    SimulatedLlmConfig config = SimulatedLlmConfig.from(new JsonObject().put("provider", "simulated"));
    assertThat(config.latencyScale()).isEqualTo(1.0);
    assertThat(config.vision().mean()).isCloseTo(4500, within(1e-6));
    assertThat(config.answer().mean()).isCloseTo(6700, within(1e-6));
    assertThat(config.seed()).isNull();
  }

  @Test
  void numericStringsFromEnvironmentOverridesAreAccepted() {
    SimulatedLlmConfig config = SimulatedLlmConfig.from(new JsonObject()
      .put("simulated", new JsonObject().put("latency-scale", "0.5").put("seed", 12)));
    assertThat(config.latencyScale()).isEqualTo(0.5);
    assertThat(config.seed()).isEqualTo(12L);
  }

  @Test
  void unknownKeyIsRejectedNamingIt() {
    assertThatThrownBy(() -> SimulatedLlmConfig.from(new JsonObject().put("simulated", new JsonObject().put("latency", 1))))
      .hasMessageStartingWith("llm.simulated.latency: unknown key");
  }

  @Test
  void negativeLatencyScaleIsRejectedNamingIt() {
    assertThatThrownBy(() -> SimulatedLlmConfig.from(new JsonObject().put("simulated", new JsonObject().put("latency-scale", -1))))
      .hasMessageStartingWith("llm.simulated.latency-scale: ");
  }

  @Test
  void p99BelowMeanIsRejectedNamingTheP99Key() {
    assertThatThrownBy(() -> SimulatedLlmConfig.from(new JsonObject()
      .put("simulated", new JsonObject().put("vision-mean-ms", 5000).put("vision-p99-ms", 3000))))
      .hasMessageStartingWith("llm.simulated.vision-p99-ms: ");
  }
}
