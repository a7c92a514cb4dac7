package io.eco2.engine.runtime;

import io.eco2.engine.eventlog.memory.InMemoryEventLog;
import io.eco2.engine.job.ProgressEvent;
import io.eco2.engine.metrics.PipelineMetrics;
import io.eco2.engine.stage.Stage;
import io.eco2.engine.stage.StageContext;
import io.eco2.engine.stage.StageFailure;
import io.eco2.engine.stage.StagePolicy;
import io.eco2.engine.transport.SendOptions;
import io.eco2.engine.transport.WorkItem;
import io.eco2.engine.transport.eventbus.EventBusTransport;
import io.eco2.testkit.Await;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A failure's {@link StageFailure#retryAfter()} is a floor under the stage's backoff. */
@ExtendWith(VertxExtension.class)
class RetryAfterTest {

  @Test
  void theLongerOfBackoffAndRetryAfterWins() {
    StagePolicy policy = new StagePolicy().setBackoffInitial(Duration.ofMillis(100)).setJitter(0);
    StageFailure plain = StageFailure.retryable("X", "x");
    assertThat(StageWorker.retryDelay(policy, 1, plain)).isEqualTo(Duration.ofMillis(100));
    assertThat(StageWorker.retryDelay(policy, 1, plain.withRetryAfter(Duration.ofSeconds(3)))).isEqualTo(Duration.ofSeconds(3));
    assertThat(StageWorker.retryDelay(policy, 1, plain.withRetryAfter(Duration.ofMillis(20)))).isEqualTo(Duration.ofMillis(100));
    assertThat(plain.withRetryAfter(Duration.ofMillis(-5)).retryAfter()).isEqualTo(Duration.ZERO);
    StageFailure carried = plain.withRetryAfter(Duration.ofSeconds(1));
    assertThat(carried.code()).isEqualTo("X");
    assertThat(carried.retryable()).isTrue();
    assertThat(carried.getMessage()).isEqualTo("x");
  }

  @Test
  void theWorkerWaitsOutRetryAfterEvenWithZeroBackoff(Vertx vertx) throws Exception {
    List<Long> attempts = new CopyOnWriteArrayList<>();
    Stage flaky = new Stage() {
      @Override
      public String name() {
        return "a";
      }

      @Override
      public Future<JsonObject> process(StageContext ctx) {
        attempts.add(System.nanoTime());
        return ctx.attempt() == 0
          ? Future.failedFuture(StageFailure.retryable("LLM_RATE_LIMITED", "slow down").withRetryAfter(Duration.ofMillis(400)))
          : Future.succeededFuture(new JsonObject());
      }
    };
    StagePolicy policy = new StagePolicy().setRetries(1).setBackoffInitial(Duration.ZERO).setJitter(0);
    PipelinePlan plan = PipelinePlan.of(List.of(flaky), Map.of("a", policy));
    InMemoryEventLog log = new InMemoryEventLog(Duration.ofMinutes(1), 100, Duration.ofMinutes(1));
    EventBusTransport transport = new EventBusTransport(vertx, Map.of("a", 10), 1);
    PipelineMetrics metrics = new PipelineMetrics(new SimpleMeterRegistry());
    plan.names().forEach(metrics::registerStage);
    JobRecorder recorder = new JobRecorder(log, log, plan, metrics, new io.eco2.engine.api.JsonSurface());
    Await.result(transport.start());
    Await.result(vertx.deployVerticle(new StageWorker("a", plan, transport, recorder, metrics)));

    Await.result(recorder.queued("j"));
    Await.result(transport.send("a", new WorkItem("j", "a", 0, System.currentTimeMillis(), new JsonObject(), null), SendOptions.DEFAULT));
    Await.until("the job ended", () -> {
      ProgressEvent last = Await.result(log.latest("j"));
      return last != null && last.isTerminal();
    });

    assertThat(Await.result(log.latest("j")).stage()).isEqualTo("done");
    assertThat(attempts).hasSize(2);
    assertThat(TimeUnit.NANOSECONDS.toMillis(attempts.get(1) - attempts.get(0))).isGreaterThanOrEqualTo(400);
  }

}
