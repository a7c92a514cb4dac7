package io.eco2.engine.stage;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StagePolicyTest {

  private final StagePolicy policy = new StagePolicy().setBackoffInitial(Duration.ofSeconds(1))
    .setBackoffMax(Duration.ofSeconds(3)).setJitter(0.2);

  @Test
  void backoffDoublesPerRetryUpToTheMaximum() {
    assertThat(policy.backoff(1, 0.5)).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.backoff(2, 0.5)).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.backoff(3, 0.5)).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void jitterSpreadsTheBackoffWithinItsFraction() {
    assertThat(policy.backoff(1, 0.0)).isEqualTo(Duration.ofMillis(800));
    assertThat(policy.backoff(1, 0.999999)).isBetween(Duration.ofMillis(1199), Duration.ofMillis(1200));
  }

  @Test
  void configurationOverridesOnlyTheKeysItHas() {
    StagePolicy merged = policy.merge("vision", new JsonObject().put("concurrency", 7).put("timeout-ms", 500));
    assertThat(merged.concurrency()).isEqualTo(7);
    assertThat(merged.timeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(merged.backoffMax()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void anInvalidValueNamesItsKey() {
    assertThatThrownBy(() -> policy.merge("vision", new JsonObject().put("concurrency", 0)))
      .hasMessageStartingWith("stages.vision.concurrency:");
    assertThatThrownBy(() -> policy.merge("rule", new JsonObject().put("jitter", 2)))
      .hasMessageStartingWith("stages.rule.jitter:");
  }

  @Test
  void anAttemptIsDeliveredAtMostFiveTimesUnlessConfigured() {
    assertThat(policy.maxDeliveries()).isEqualTo(StagePolicy.DEFAULT_MAX_DELIVERIES).isEqualTo(5);
    assertThat(policy.merge("vision", new JsonObject().put("max-deliveries", 2)).maxDeliveries()).isEqualTo(2);
    assertThatThrownBy(() -> policy.merge("vision", new JsonObject().put("max-deliveries", 0)))
      .hasMessageStartingWith("stages.vision.max-deliveries:");
  }
}
