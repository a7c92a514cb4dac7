package io.eco2.engine.runtime;

import io.eco2.engine.eventlog.EventId;
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
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cancellation through {@link Executions}: a shutdown hands an attempt in flight over (its
 * {@code cancelled()} fires, it is requeued at once as the same attempt, no retry is logged), and a
 * cancellation with another reason ends the attempt with that failure.
 */
@ExtendWith(VertxExtension.class)
class HandOverTest {

  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger cancelled = new AtomicInteger();
  private final List<Integer> attempts = new CopyOnWriteArrayList<>();
  private InMemoryEventLog log;
  private EventBusTransport transport;
  private JobRecorder recorder;
  private final Executions executions = new Executions();

  /** Hangs on its first call (until cancelled), answers at once afterwards. */
  private final class HangsOnce implements Stage {
    @Override
    public String name() {
      return "a";
    }

    @Override
    public Future<JsonObject> process(StageContext ctx) {
      attempts.add(ctx.attempt());
      if (calls.incrementAndGet() > 1) {
        return Future.succeededFuture(new JsonObject().put("a", "ok"));
      }
      Promise<JsonObject> never = Promise.promise();
      ctx.cancelled().onComplete(v -> cancelled.incrementAndGet());
      return never.future();
    }
  }

  @BeforeEach
  void setUp(Vertx vertx) {
    PipelinePlan plan = PipelinePlan.of(List.of(new HangsOnce()),
      Map.of("a", new StagePolicy().setConcurrency(2).setTimeout(Duration.ofMinutes(5)).setRetries(0)));
    log = new InMemoryEventLog(Duration.ofMinutes(1), 100, Duration.ofMinutes(1));
    transport = new EventBusTransport(vertx, Map.of("a", 10), 1);
    PipelineMetrics metrics = new PipelineMetrics(new SimpleMeterRegistry());
    plan.names().forEach(metrics::registerStage);
    recorder = new JobRecorder(log, log, plan, metrics, new io.eco2.engine.api.JsonSurface());
    Await.result(transport.start());
    Await.result(vertx.deployVerticle(new StageWorker("a", plan, transport, recorder, metrics, executions)));
  }

  @Test
  void aHandedOverAttemptIsCancelledRequeuedAsTheSameAttemptAndLogsNoRetry() {
    Await.result(recorder.queued("j1"));
    Await.result(transport.send("a", new WorkItem("j1", "a", 0, System.currentTimeMillis(), new JsonObject(), null), SendOptions.DEFAULT));
    Await.until("one execution running", () -> executions.size() == 1);

    assertThat(executions.cancelAll(Executions.handover())).isEqualTo(1);

    Await.until("job j1 ended", () -> terminal("j1"));
    assertThat(cancelled.get()).as("cancelled() fired").isEqualTo(1);
    assertThat(attempts).containsExactly(0, 0);
    assertThat(steps("j1")).containsExactly("queued/completed", "a/started", "a/completed", "done/completed");
  }

  @Test
  void aJobCancelledWithAnotherReasonEndsWithThatReason() {
    Await.result(recorder.queued("j2"));
    Await.result(transport.send("a", new WorkItem("j2", "a", 0, System.currentTimeMillis(), new JsonObject(), null), SendOptions.DEFAULT));
    Await.until("one execution running", () -> executions.size() == 1);

    assertThat(executions.cancel("other-job", StageFailure.permanent("CANCELLED", "x"))).isZero();
    assertThat(executions.cancel("j2", StageFailure.permanent("CANCELLED", "cancelled by its client"))).isEqualTo(1);

    Await.until("job j2 ended", () -> terminal("j2"));
    ProgressEvent last = Await.result(log.latest("j2"));
    assertThat(last.result().getString("code")).isEqualTo("CANCELLED");
    assertThat(cancelled.get()).isEqualTo(1);
    assertThat(executions.size()).isZero();
  }

  private boolean terminal(String job) {
    ProgressEvent last = Await.result(log.latest(job));
    return last != null && last.isTerminal();
  }

  private List<String> steps(String job) {
    return Await.result(log.readAfter(job, EventId.ZERO)).stream().map(e -> e.stage() + "/" + e.status()).collect(Collectors.toList());
  }
}
