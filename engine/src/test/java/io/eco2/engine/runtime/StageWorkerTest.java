package io.eco2.engine.runtime;

import io.eco2.engine.eventlog.Checkpoint;
import io.eco2.engine.eventlog.EventId;
import io.eco2.engine.eventlog.memory.InMemoryEventLog;
import io.eco2.engine.job.ProgressEvent;
import io.eco2.engine.metrics.PipelineMetrics;
import io.eco2.engine.stage.Stage;
import io.eco2.engine.stage.StageContext;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** A stage worker facing repeated deliveries, as at-least-once transports produce them. */
@ExtendWith(VertxExtension.class)
class StageWorkerTest {

  private final AtomicInteger executions = new AtomicInteger();
  private InMemoryEventLog log;
  private EventBusTransport transport;
  private JobRecorder recorder;

  private final class Counting implements Stage {
    private final String name;

    Counting(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Future<JsonObject> process(StageContext ctx) {
      executions.incrementAndGet();
      return Future.succeededFuture(new JsonObject().put(name, ctx.attempt()));
    }
  }

  @BeforeEach
  void setUp(Vertx vertx) {
    PipelinePlan plan = PipelinePlan.of(List.of(new Counting("a"), new Counting("b")),
      Map.of("a", new StagePolicy().setConcurrency(2), "b", new StagePolicy().setConcurrency(2)));
    log = new InMemoryEventLog(Duration.ofMinutes(1), 100, Duration.ofMinutes(1));
    transport = new EventBusTransport(vertx, Map.of("a", 10, "b", 10), 1);
    PipelineMetrics metrics = new PipelineMetrics(new SimpleMeterRegistry());
    plan.names().forEach(metrics::registerStage);
    recorder = new JobRecorder(log, log, plan, metrics, new io.eco2.engine.api.JsonSurface());
    Await.result(transport.start());
    for (String s : plan.names()) {
      Await.result(vertx.deployVerticle(new StageWorker(s, plan, transport, recorder, metrics)));
    }
  }


  private List<String> steps(String job) {
    return Await.result(log.readAfter(job, EventId.ZERO)).stream().map(e -> e.stage() + "/" + e.status()).collect(Collectors.toList());
  }

  private void awaitTerminal(String job) {
    Await.until("job " + job + " ended", () -> {
      ProgressEvent last = Await.result(log.latest(job));
      return last != null && last.isTerminal();
    });
  }

  @Test
  void aDeliveryOfAStageAlreadyCompletedIsNotExecutedAgainAndLogsNothingTwice() throws Exception {
    WorkItem item = new WorkItem("j1", "a", 0, System.currentTimeMillis(), new JsonObject(), null);
    Await.result(recorder.queued("j1"));
    Await.result(transport.send("a", item, SendOptions.DEFAULT));
    awaitTerminal("j1");
    int before = executions.get();

    Await.result(transport.send("a", item, SendOptions.DEFAULT));
    // Nothing may happen: for 200 ms (room for a wrong second execution to show), none runs.
    Await.holdsFor(Duration.ofMillis(200), "no second execution", () -> assertThat(executions.get()).isEqualTo(before));

    assertThat(executions.get()).isEqualTo(before);
    assertThat(steps("j1")).containsExactly("queued/completed", "a/started", "a/completed", "b/started", "b/completed", "done/completed");
  }

  @Test
  void aRepeatedHandOffToTheNextStageExecutesItOnceInTheLog() throws Exception {
    Await.result(recorder.queued("j2"));
    WorkItem atB = new WorkItem("j2", "b", 0, System.currentTimeMillis(), new JsonObject().put("a", 0), null);
    Await.result(transport.send("b", atB, SendOptions.DEFAULT));
    Await.result(transport.send("b", atB, SendOptions.DEFAULT));
    awaitTerminal("j2");
    // Nothing may happen: for 200 ms (room for a wrong repeat to be logged), the log stays as it is.
    List<String> ended = steps("j2");
    Await.holdsFor(Duration.ofMillis(200), "nothing logged twice", () -> assertThat(steps("j2")).isEqualTo(ended));

    assertThat(steps("j2")).containsExactly("queued/completed", "b/started", "b/completed", "done/completed");
  }
  @Test
  void aStaleCopyOfAJobsFirstItemIsDroppedOnceTheJobEnded() throws Exception {
    Await.result(recorder.queued("j3"));
    WorkItem first = new WorkItem("j3", "a", 0, System.currentTimeMillis(), new JsonObject(), null, Checkpoint.QUEUED);
    Await.result(transport.send("a", first, SendOptions.DEFAULT));
    awaitTerminal("j3");
    int before = executions.get();

    // The same item again, still claiming the log holds only 'queued': the log decides, the job has ended.
    Await.result(transport.send("a", first, SendOptions.DEFAULT));
    awaitProcessed(before);

    assertThat(executions.get()).isEqualTo(before);
    assertThat(steps("j3")).containsExactly("queued/completed", "a/started", "a/completed", "b/started", "b/completed", "done/completed");
  }

  @Test
  void aCopyOfAHandOffArrivingAfterTheStageCompletedIsNotRunAgain() throws Exception {
    Await.result(recorder.queued("j4"));
    WorkItem first = new WorkItem("j4", "a", 0, System.currentTimeMillis(), new JsonObject(), null, Checkpoint.QUEUED);
    Transition started = Await.result(recorder.started(first));
    Transition completed = Await.result(recorder.completed(first.at(started.at()), new JsonObject().put("a", "logged")));
    WorkItem atB = first.handOff("b", new JsonObject().put("a", "logged"), null, completed.at());
    assertThat(atB.checkpoint()).isEqualTo(new Checkpoint(3, "a"));

    // A twin of stage a's delivery (its checkpoint still before 'a/started') arrives: a is not run again, and
    // the job goes on with the output the log holds.
    Await.result(transport.send("a", first, SendOptions.DEFAULT));
    awaitTerminal("j4");

    assertThat(steps("j4")).containsExactly("queued/completed", "a/started", "a/completed", "b/started", "b/completed", "done/completed");
    assertThat(executions.get()).as("only b ran").isEqualTo(1);
    assertThat(Await.result(log.result("j4")).encode()).as("the result holds a's logged output").contains("\"a\":\"logged\"");
  }

  @Test
  void aTwinOfAStageArrivingWhileTheNextStageRunsDoesNotLogTheNextStageAgain() throws Exception {
    Await.result(recorder.queued("j5"));
    WorkItem first = new WorkItem("j5", "a", 0, System.currentTimeMillis(), new JsonObject(), null, Checkpoint.QUEUED);
    Transition started = Await.result(recorder.started(first));
    Transition completed = Await.result(recorder.completed(first.at(started.at()), new JsonObject().put("a", "logged")));
    // Stage b has started (its execution is somewhere else, still running) when a twin of a's delivery arrives.
    Await.result(recorder.started(first.handOff("b", new JsonObject().put("a", "logged"), null, completed.at())));

    Await.result(transport.send("a", first, SendOptions.DEFAULT));
    awaitTerminal("j5");

    // The twin hands the job on from where a's completion left the log, not from the log's end: b's start is
    // found there, not logged a second time.
    assertThat(steps("j5")).containsExactly("queued/completed", "a/started", "a/completed", "b/started", "b/completed", "done/completed");
  }

  @Test
  void aTwinFinishingTheLastStageAfterTheJobEndedLogsNothingAfterDone() throws Exception {
    Await.result(recorder.queued("j6"));
    WorkItem atB = new WorkItem("j6", "b", 0, System.currentTimeMillis(), new JsonObject(), null, Checkpoint.QUEUED);
    Transition started = Await.result(recorder.started(atB));
    Await.result(recorder.completedAndDone(atB.at(started.at()), new JsonObject().put("b", 1), new io.vertx.core.json.JsonArray()));

    // The twin ran b too and ends it from the same position: the log ended meanwhile.
    Transition twin = Await.result(recorder.completedAndDone(atB.at(started.at()), new JsonObject().put("b", 2), new io.vertx.core.json.JsonArray()));

    assertThat(twin.finished()).isTrue();
    assertThat(steps("j6")).containsExactly("queued/completed", "b/started", "b/completed", "done/completed");
    assertThat(Await.result(log.result("j6")).encode()).contains("\"b\":1");
  }

  // The transport has no "handled" signal: a marker job behind the stale item tells when stage a got past it.
  private void awaitProcessed(int executionsBefore) throws Exception {
    Await.result(recorder.queued("marker-" + executionsBefore));
    Await.result(transport.send("a", new WorkItem("marker-" + executionsBefore, "a", 0, System.currentTimeMillis(),
      new JsonObject(), null, Checkpoint.QUEUED), SendOptions.DEFAULT));
    awaitTerminal("marker-" + executionsBefore);
    executions.addAndGet(-2);
  }
}
