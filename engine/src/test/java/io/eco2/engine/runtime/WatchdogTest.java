package io.eco2.engine.runtime;

import io.eco2.engine.eventlog.Checkpoint;
import io.eco2.engine.eventlog.EventId;
import io.eco2.engine.eventlog.memory.InMemoryEventLog;
import io.eco2.engine.job.ProgressEvent;
import io.eco2.engine.metrics.PipelineMetrics;
import io.eco2.engine.stage.Stage;
import io.eco2.engine.stage.StageContext;
import io.eco2.engine.stage.StagePolicy;
import io.eco2.engine.transport.WorkItem;
import io.eco2.engine.transport.eventbus.EventBusTransport;
import io.eco2.testkit.Await;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watchdog in embedded mode (the in-memory log, the event-bus transport, real stage workers): a job whose
 * work was lost is handed to its stage again from its last completed stage and ends {@code done} with nothing
 * logged twice; a job that cannot progress ends with exactly one {@code error}, code {@code STALLED}.
 */
@ExtendWith(VertxExtension.class)
class WatchdogTest {

  /** A tiny budget: 50 ms per stage (one attempt, no backoff, no margin). */
  private static final StagePolicy QUICK = new StagePolicy().setTimeout(Duration.ofMillis(50)).setRetries(0);

  private final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
  private final Map<String, JsonObject> inputs = new ConcurrentHashMap<>();
  private Vertx vertx;
  private PipelinePlan plan;
  private InMemoryEventLog log;
  private EventBusTransport transport;
  private JobRecorder recorder;
  private PipelineMetrics metrics;
  private SimpleMeterRegistry registry;
  private Watchdog watchdog;

  private final class Recording implements Stage {
    private final String name;

    Recording(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Future<JsonObject> process(StageContext ctx) {
      executions.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
      inputs.put(name, ctx.job().copy());
      return Future.succeededFuture(new JsonObject().put(name, "out"));
    }
  }

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    plan = PipelinePlan.of(List.of(new Recording("a"), new Recording("b")), Map.of("a", QUICK, "b", QUICK));
    log = new InMemoryEventLog(Duration.ofMinutes(1), 100, Duration.ofMinutes(1));
    transport = new EventBusTransport(vertx, Map.of("a", 10, "b", 10), 1);
    registry = new SimpleMeterRegistry();
    metrics = new PipelineMetrics(registry);
    plan.names().forEach(metrics::registerStage);
    recorder = new JobRecorder(log, log, plan, metrics, new io.eco2.engine.api.JsonSurface());
    Await.result(transport.start());
  }

  @AfterEach
  void tearDown() {
    if (watchdog != null) {
      watchdog.stop();
    }
  }

  private void deployWorkers() {
    for (String s : plan.names()) {
      Await.result(vertx.deployVerticle(new StageWorker(s, plan, transport, recorder, metrics)));
    }
  }

  private void startWatchdog(int maxRedrives) {
    WatchdogOptions options = new WatchdogOptions().setSweepIntervalMs(20).setMarginMs(0).setMaxRedrives(maxRedrives);
    watchdog = new Watchdog(vertx, options, plan, log, log, log.activeJobs(), transport, recorder, metrics, "test");
    watchdog.start();
  }

  // A job accepted as submit accepts it (input, queued), whose first message then never reached stage a.
  private void acceptedButLost(String job) {
    Await.result(log.putInput(job, new JsonObject().put("image_url", "https://example.com/" + job + ".jpg")));
    Await.result(recorder.queued(job));
  }

  private List<String> steps(String job) {
    return Await.result(log.readAfter(job, EventId.ZERO)).stream().map(e -> e.stage() + "/" + e.status()).toList();
  }

  private ProgressEvent awaitTerminal(String job) {
    return Await.until("job " + job + " ended", () -> Await.result(log.latest(job)), e -> e != null && e.isTerminal());
  }

  private double count(String meter, String stage) {
    var c = registry.find(meter).tag("stage", stage).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aJobWhoseFirstMessageWasLostIsRedrivenAndEndsDone() {
    deployWorkers();
    acceptedButLost("lost-first");
    startWatchdog(2);

    assertThat(awaitTerminal("lost-first").stage()).isEqualTo("done");
    assertThat(steps("lost-first")).containsExactly("queued/completed", "a/started", "a/completed", "b/started",
      "b/completed", "done/completed");
    assertThat(inputs.get("a").getString("image_url")).as("stage a got the job's input").isEqualTo("https://example.com/lost-first.jpg");
    assertThat(count("pipeline.jobs.redriven", "a")).isEqualTo(1);
    assertThat(count("pipeline.jobs.stalled", "a")).isZero();
  }

  @Test
  void aJobLostAfterItsFirstStageIsRedrivenFromThereAndTheFirstStageDoesNotRunAgain() {
    deployWorkers();
    acceptedButLost("lost-after-a");
    // Stage a ran and logged its completion; the hand-off to b was lost.
    WorkItem atA = new WorkItem("lost-after-a", "a", 0, System.currentTimeMillis(), new JsonObject(), null, Checkpoint.QUEUED);
    Transition started = Await.result(recorder.started(atA));
    Await.result(recorder.completed(atA.at(started.at()), new JsonObject().put("a", "out")));
    startWatchdog(2);

    assertThat(awaitTerminal("lost-after-a").stage()).isEqualTo("done");
    assertThat(executions.get("a")).as("stage a is not run again").isNull();
    assertThat(inputs.get("b").getString("a")).as("stage b got stage a's logged output").isEqualTo("out");
    assertThat(steps("lost-after-a")).containsExactly("queued/completed", "a/started", "a/completed", "b/started",
      "b/completed", "done/completed");
    assertThat(count("pipeline.jobs.redriven", "b")).isEqualTo(1);
  }

  @Test
  void aJobThatCanNeverProgressEndsWithExactlyOneStalledError() {
    // No worker consumes: every re-drive is lost too.
    acceptedButLost("stuck");
    startWatchdog(1);

    ProgressEvent end = awaitTerminal("stuck");
    assertThat(end.stage()).isEqualTo("error");
    assertThat(end.result().getString("code")).isEqualTo(Watchdog.STALLED);
    assertThat(end.result().getString("stage")).isEqualTo("a");
    // Sweeps go on: for 200 ms (ten sweeps) nothing more is logged for the ended job.
    Await.holdsFor(Duration.ofMillis(200), "one error only",
      () -> assertThat(steps("stuck")).containsExactly("queued/completed", "error/failed"));
    assertThat(count("pipeline.jobs.redriven", "a")).isEqualTo(1);
    assertThat(count("pipeline.jobs.stalled", "a")).isEqualTo(1);
  }

  @Test
  void aJobSilentForLessThanItsStagesBudgetIsLeftAlone() {
    plan = PipelinePlan.of(List.of(new Recording("a"), new Recording("b")),
      Map.of("a", new StagePolicy().setTimeout(Duration.ofMinutes(1)), "b", QUICK));
    acceptedButLost("patient");
    startWatchdog(2);

    // For 200 ms (ten sweeps) the job, well within stage a's budget of minutes, is neither re-driven nor ended.
    Await.holdsFor(Duration.ofMillis(200), "left alone", () -> assertThat(steps("patient")).containsExactly("queued/completed"));
    assertThat(count("pipeline.jobs.redriven", "a")).isZero();
  }

  @Test
  void theBudgetIsEveryAttemptTimingOutPlusTheLongestBackoffsPlusTheMargin() {
    StagePolicy policy = new StagePolicy().setTimeout(Duration.ofSeconds(1)).setRetries(2)
      .setBackoffInitial(Duration.ofMillis(100)).setBackoffMax(Duration.ofSeconds(1)).setJitter(0.5);
    // 3 attempts × 1 s, backoffs 100 ms and 200 ms at +50 % jitter, margin 10 s.
    assertThat(Watchdog.budget(policy, Duration.ofSeconds(10))).isEqualTo(Duration.ofMillis(3000 + 150 + 300 + 10_000));
  }
}
