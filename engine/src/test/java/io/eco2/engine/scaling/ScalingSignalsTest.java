package io.eco2.engine.scaling;

import io.eco2.engine.llm.QuotaLoad;
import io.eco2.engine.llm.ratelimit.RateLimitGate;
import io.eco2.engine.llm.ratelimit.RateLimits;
import io.eco2.engine.llm.ratelimit.SlidingWindowLimiter;
import io.eco2.engine.metrics.PipelineMetrics;
import io.eco2.testkit.Await;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The autoscaler's inputs come through {@link StageLoad} (the stage runtime) and {@link QuotaLoad} (the LLM
 * rate-limit gate), not from meters found by name: given directly they drive the decisions, and renaming
 * every meter changes nothing the autoscaler sees.
 */
@ExtendWith(VertxExtension.class)
class ScalingSignalsTest {

  private static final List<String> STAGES = List.of("vision", "rule");
  private static final int PER_REPLICA = 10;

  /** The engine's registry, renaming every meter as an operator's meter filter might. */
  private static PrometheusMeterRegistry renamingRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        return id.withName("renamed." + id.getName());
      }
    });
    return registry;
  }

  @Test
  void theAutoscalerDecidesFromStageLoadAndQuotaLoadGivenDirectly(Vertx vertx) {
    StageLoad idle = stage -> new StageLoad.Figures(0, 0, 0, new double[0], new double[0]);
    QuotaLoad waiting = new QuotaLoad() {
      @Override
      public int waiting() {
        return 2;
      }

      @Override
      public double waitedSeconds() {
        return 0;
      }
    };
    ScalingOptions options = new ScalingOptions().setMaxReplicas(10).setLlmStages(List.of("vision"));
    LocalStageStats stats = new LocalStageStats(idle, waiting, STAGES, options.llmStages(), options.window());
    // 500 waiting at each stage: 500 executions at once to drain them in scaling.target-drain-seconds.
    LocalSignals signals = new LocalSignals(stats, stage -> Future.succeededFuture(500L), STAGES,
      Map.of("vision", PER_REPLICA, "rule", PER_REPLICA));
    Autoscaler autoscaler = new Autoscaler(STAGES, options, signals,
      new ScalingMetrics(new SimpleMeterRegistry(), STAGES, Map.of()), null);
    Await.result(vertx.deployVerticle(autoscaler), "autoscaler deployed");

    ScalingView.Stage rule = autoscaler.view().stages().get("rule");
    assertThat(rule.ready()).isEqualTo(500);
    assertThat(rule.desiredReplicas()).isEqualTo(10);
    assertThat(rule.limitedBy()).isEqualTo(ReplicaCalculator.LIMITED_BY_MAX);
    // The gate's waiters count for the LLM stage only: more replicas would not get it more quota.
    ScalingView.Stage vision = autoscaler.view().stages().get("vision");
    assertThat(vision.limitedBy()).isEqualTo(ReplicaCalculator.LIMITED_BY_QUOTA);
    assertThat(vision.desiredReplicas()).isEqualTo(1);
  }

  @Test
  void renamedStageMetersStillReachTheAutoscaler() {
    PipelineMetrics metrics = new PipelineMetrics(renamingRegistry());
    STAGES.forEach(metrics::registerStage);
    for (int i = 0; i < 3; i++) {
      metrics.stageDuration("vision", PipelineMetrics.OUTCOME_COMPLETED, Duration.ofSeconds(2).toNanos());
    }
    metrics.inflight("vision", 1);
    LocalStageStats stats = new LocalStageStats(metrics, QuotaLoad.NONE, STAGES, List.of("vision"), Duration.ofSeconds(30));

    LocalStageStats.Local vision = stats.sample(System.currentTimeMillis()).get("vision");
    assertThat(vision.completed()).isEqualTo(3);
    assertThat(vision.busySeconds()).isEqualTo(6.0);
    assertThat(vision.inflight()).isEqualTo(1);
    assertThat(vision.p50Millis()).isBetween(1000.0, 3000.0);
  }

  @Test
  void renamedQuotaMetersStillReachTheAutoscaler(Vertx vertx) {
    RateLimitGate gate = new RateLimitGate(vertx,
      new SlidingWindowLimiter(new RateLimits(1, 0, Duration.ofSeconds(10))), Duration.ofSeconds(30), renamingRegistry());
    Await.result(gate.acquire("m", 1, Promise.<Void>promise().future()), "first call within budget");
    gate.acquire("m", 1, Promise.<Void>promise().future());
    Await.until("the second call waiting", () -> gate.waiting() == 1);

    LocalStageStats stats = new LocalStageStats(stage -> new StageLoad.Figures(0, 0, 0, new double[0], new double[0]),
      gate, STAGES, List.of("vision"), Duration.ofSeconds(30));
    assertThat(stats.sample(System.currentTimeMillis()).get("vision").quotaWaiters()).isEqualTo(1.0);
    assertThat(stats.sample(System.currentTimeMillis()).get("rule").quotaWaiters()).isZero();
  }
}
