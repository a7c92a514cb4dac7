package io.eco2.tests.scaling;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The scaling simulator: reproduces the original system's failure and shows ours avoids it. */
class ScalingSimulatorTest {

  @Test
  void theOriginalPolicyKillsBusyPodsAndOursDrainsThem() {
    SimConfig config = SimConfig.defaults(1000);
    ScalingSimulator.Result original = ScalingSimulator.run(config, new Policy.AmqpQueueLength());
    ScalingSimulator.Result ours = ScalingSimulator.run(config, new Policy.LittlesLaw(config));

    assertThat(original.podsKilledBusy()).as("original: busy pods scaled down mid-job").isPositive();
    assertThat(original.lost()).isPositive();
    assertThat(ours.podsKilledBusy()).isZero();
    assertThat(ours.lost()).isZero();
    assertThat(ours.completed()).isGreaterThan(original.completed());
    assertThat(ours.p95QueueSeconds()).isLessThanOrEqualTo(original.p95QueueSeconds());
  }

  @Test
  void theAmqpTriggerNeverSeesWorkThatOnePodHoldsSoItNeverScalesAt250Users() {
    SimConfig config = SimConfig.defaults(250);
    ScalingSimulator.Result original = ScalingSimulator.run(config, new Policy.AmqpQueueLength());
    ScalingSimulator.Result ours = ScalingSimulator.run(config, new Policy.LittlesLaw(config));
    assertThat(original.peakPods()).isEqualTo(1);
    assertThat(ours.peakPods()).isGreaterThan(1);
    assertThat(ours.p95QueueSeconds()).isLessThan(original.p95QueueSeconds());
  }

  @Test
  void isDeterministicForASeedAndPrintsAMarkdownTable() {
    List<ScalingSimulator.Result> a = ScalingSimulator.compare(new int[] {50}, SimConfig::defaults);
    List<ScalingSimulator.Result> b = ScalingSimulator.compare(new int[] {50}, SimConfig::defaults);
    assertThat(a).isEqualTo(b).hasSize(2);
    assertThat(a).allSatisfy(r -> assertThat(r.completed()).isPositive());
    String table = ScalingSimulator.table(a);
    assertThat(table.lines().toList()).hasSize(4);
    assertThat(table).startsWith("| users | policy | jobs completed |").contains("| 50 | original").contains("| 50 | ours");
  }
}
