package io.eco2.engine.scaling;

import io.eco2.engine.scaling.ReplicaCalculator.Decision;
import io.eco2.engine.scaling.ReplicaCalculator.Limits;
import io.eco2.engine.scaling.ReplicaCalculator.StageSample;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The autoscaler's decisions under synthetic backlogs. */
class ReplicaCalculatorTest {

  // Target drain 30 s, 1..10 replicas, 60 s scale-down stabilization; a replica runs 100 executions at once.
  private final ReplicaCalculator calc = new ReplicaCalculator(new Limits(30, 1, 10, 60_000));

  private static StageSample sample(double rate, double service, long ready, long inflight, int current) {
    return new StageSample(rate, service, ready, inflight, 100, current, false);
  }

  @Test
  void steadyLoadNeedsArrivalRateTimesServiceTime() {
    // 50 jobs/s × 4.5 s = 225 executions at once = 3 replicas of 100.
    Decision d = calc.decide("vision", sample(50, 4.5, 0, 225, 3), 0);
    assertThat(d.requiredExecutions()).isEqualTo(225);
    assertThat(d.desiredReplicas()).isEqualTo(3);
    assertThat(d.limitedBy()).isNull();
  }

  @Test
  void risingBacklogAddsWhatDrainsItWithinTheTarget() {
    // 10/s × 4.5 s = 45, plus 1200 waiting / 30 s × 4.5 s = 180: 225 executions, 3 replicas.
    Decision d = calc.decide("vision", sample(10, 4.5, 1200, 45, 1), 0);
    assertThat(d.requiredExecutions()).isEqualTo(225);
    assertThat(d.desiredReplicas()).isEqualTo(3);
    // The backlog keeps growing: (10 + 3000 / 30) × 4.5 = 495 executions, and the recommendation follows at once.
    assertThat(calc.decide("vision", sample(10, 4.5, 3000, 100, 3), 1000).desiredReplicas()).isEqualTo(5);
  }

  @Test
  void drainingBacklogScalesDownOnlyAfterTheStabilizationWindow() {
    assertThat(calc.decide("vision", sample(10, 4.5, 3000, 100, 5), 0).desiredReplicas()).isEqualTo(5);
    // The backlog is gone and little is in flight: the lower value must hold for 60 s first.
    assertThat(calc.decide("vision", sample(10, 4.5, 0, 45, 5), 1_000).desiredReplicas()).isEqualTo(5);
    assertThat(calc.decide("vision", sample(10, 4.5, 0, 45, 5), 59_000).desiredReplicas()).isEqualTo(5);
    assertThat(calc.decide("vision", sample(10, 4.5, 0, 45, 5), 60_001).desiredReplicas()).isEqualTo(1);
  }

  @Test
  void aBriefDipDoesNotFlap() {
    calc.decide("vision", sample(50, 4.5, 0, 225, 3), 0);
    calc.decide("vision", sample(5, 4.5, 0, 23, 3), 10_000);
    // Back up before the window ran out: it never went down.
    assertThat(calc.decide("vision", sample(50, 4.5, 0, 225, 3), 20_000).desiredReplicas()).isEqualTo(3);
    assertThat(calc.decide("vision", sample(5, 4.5, 0, 23, 3), 70_000).desiredReplicas()).isEqualTo(3);
    assertThat(calc.decide("vision", sample(5, 4.5, 0, 23, 3), 80_001).desiredReplicas()).isEqualTo(1);
  }

  @Test
  void neverFewerReplicasThanTheWorkInFlightNeeds() {
    ReplicaCalculator noStabilization = new ReplicaCalculator(new Limits(30, 1, 10, 0));
    // Nothing arrives any more, but 420 executions are still running on 5 replicas: keep 5.
    Decision d = noStabilization.decide("answer", sample(0, 6.7, 0, 420, 5), 0);
    assertThat(d.desiredReplicas()).isEqualTo(5);
    assertThat(d.requiredExecutions()).isEqualTo(420);
  }

  @Test
  void boundedByMinAndMax() {
    Decision idle = calc.decide("rule", sample(0, 0.01, 0, 0, 1), 0);
    assertThat(idle.desiredReplicas()).isEqualTo(1);
    Decision flood = calc.decide("vision", sample(500, 4.5, 50_000, 1000, 10), 0);
    assertThat(flood.desiredReplicas()).isEqualTo(10);
    assertThat(flood.rawReplicas()).isGreaterThan(10);
    assertThat(flood.limitedBy()).isEqualTo(ReplicaCalculator.LIMITED_BY_MAX);
    ReplicaCalculator zeroMin = new ReplicaCalculator(new Limits(30, 0, 10, 0));
    assertThat(zeroMin.decide("rule", sample(0, 0.01, 0, 0, 0), 0).desiredReplicas()).isZero();
  }

  @Test
  void anyWaitingWorkNeedsAReplicaEvenBeforeAServiceTimeIsKnown() {
    ReplicaCalculator zeroMin = new ReplicaCalculator(new Limits(30, 0, 10, 0));
    // Unknown service time: assumed to be the drain target, so each waiting job needs a slot.
    Decision d = zeroMin.decide("vision", sample(0, Double.NaN, 250, 0, 0), 0);
    assertThat(d.requiredExecutions()).isEqualTo(250);
    assertThat(d.desiredReplicas()).isEqualTo(3);
    assertThat(zeroMin.decide("rule", sample(0, 0.001, 1, 0, 0), 0).desiredReplicas()).isEqualTo(1);
  }

  @Test
  void waitingOnTheLlmQuotaDoesNotAddReplicas() {
    // Service times grew because calls wait for the provider's rate limit: the formula alone asks for 9.
    StageSample quotaBound = new StageSample(40, 20, 600, 300, 100, 3, true);
    Decision d = calc.decide("answer", quotaBound, 0);
    assertThat(d.desiredReplicas()).isEqualTo(3);
    assertThat(d.limitedBy()).isEqualTo(ReplicaCalculator.LIMITED_BY_QUOTA);
    // The same load without the quota signal is short of workers.
    Decision workerBound = new ReplicaCalculator(calc.limits()).decide("answer",
      new StageSample(40, 20, 600, 300, 100, 3, false), 0);
    assertThat(workerBound.desiredReplicas()).isEqualTo(10);
    assertThat(workerBound.limitedBy()).isEqualTo(ReplicaCalculator.LIMITED_BY_MAX);
  }

  @Test
  void anEarlierHigherValueDoesNotRaiseAQuotaBoundStage() {
    calc.decide("answer", sample(40, 20, 600, 300, 3), 0);
    Decision d = calc.decide("answer", new StageSample(40, 20, 600, 300, 100, 3, true), 1000);
    assertThat(d.desiredReplicas()).isEqualTo(3);
    assertThat(d.limitedBy()).isEqualTo(ReplicaCalculator.LIMITED_BY_QUOTA);
  }

  @Test
  void stagesKeepTheirOwnHistory() {
    calc.decide("vision", sample(50, 4.5, 3000, 225, 3), 0);
    assertThat(calc.decide("rule", sample(50, 0.01, 0, 1, 3), 1000).desiredReplicas()).isEqualTo(1);
  }

  @Test
  void elasticConcurrencyFollowsTheRequiredExecutionsWithinBounds() {
    Decision d = new Decision(3, 250, 3, null);
    assertThat(ReplicaCalculator.concurrencyPerInstance(d, 2, 16, 8, 1024)).isEqualTo(125);
    assertThat(ReplicaCalculator.concurrencyPerInstance(new Decision(1, 0, 0, null), 2, 125, 8, 1024)).isEqualTo(8);
    assertThat(ReplicaCalculator.concurrencyPerInstance(new Decision(10, 5000, 50, null), 2, 125, 8, 1024)).isEqualTo(1024);
    // Quota-bound: no growth past the current concurrency.
    assertThat(ReplicaCalculator.concurrencyPerInstance(new Decision(3, 250, 3, ReplicaCalculator.LIMITED_BY_QUOTA), 2, 40, 8, 1024)).isEqualTo(40);
  }

  @Test
  void rejectsLimitsThatCannotWork() {
    assertThatThrownBy(() -> new Limits(0, 1, 10, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Limits(30, 5, 4, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
