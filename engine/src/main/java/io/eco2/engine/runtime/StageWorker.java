package io.eco2.engine.runtime;

import io.eco2.engine.eventlog.Checkpoint;
import io.eco2.engine.job.ProgressEvent;
import io.eco2.engine.logging.JobOutcomeLog;
import io.eco2.engine.metrics.PipelineMetrics;
import io.eco2.engine.stage.Stage;
import io.eco2.engine.stage.StageFailure;
import io.eco2.engine.stage.StagePolicy;
import io.eco2.engine.transport.SendOptions;
import io.eco2.engine.transport.StageConsumer;
import io.eco2.engine.transport.StageTransport;
import io.eco2.engine.transport.WorkHandler;
import io.eco2.engine.transport.WorkItem;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The actor that runs one stage: a verticle consuming the stage's work with at most the policy's
 * concurrency in flight.
 *
 * <p>For each delivery it logs {@code started} (first attempt only), runs the stage, and then either logs
 * {@code completed} and hands the job to the next stage (waiting for room there, which is how backpressure
 * travels upstream) or finishes the job ({@code completed}, result and {@code done} in one transition); on a
 * failure it logs {@code retrying} and re-sends the job with a backoff delay (no consumer slot is held while
 * waiting), or uses the stage's fallback, or ends the job with its one {@code error} event. The delivery is
 * acknowledged only when that outcome is logged. Every item carries its job's log position
 * ({@link io.eco2.engine.eventlog.Checkpoint}), so the log is not read before a stage runs; it is read
 * only when a transition finds the log elsewhere (a redelivery), and then a finished job is dropped and a
 * completed stage is not executed again.
 *
 * <p>A redelivery (a delivery that came back unacknowledged: its process died, say) is counted over every
 * worker when a {@link DeliveryCounter} is given; one past the stage's {@code max-deliveries} is not run
 * again but parked in the stage's dead-letter queue, and the job ends with one {@code error} event, code
 * {@code POISON_MESSAGE}.
 */
public final class StageWorker extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(StageWorker.class.getName());

  private final String stageName;
  private final PipelinePlan plan;
  private final StageTransport transport;
  private final JobRecorder recorder;
  private final PipelineMetrics metrics;
  private final Executions executions;
  private final CancelWatch cancels;
  private final DeliveryCounter deliveries;
  private StageConsumer consumer;
  private Future<Void> stopped;

  /** A worker whose jobs cannot be cancelled (unit tests of the stage protocol). */
  public StageWorker(String stageName, PipelinePlan plan, StageTransport transport, JobRecorder recorder,
                     PipelineMetrics metrics) {
    this(stageName, plan, transport, recorder, metrics, new Executions(), null);
  }

  /**
   * @param executions where this worker lists its executions in flight, so that shutdown and job
   *     cancellation can reach them (one registry per engine, shared by its workers)
   */
  public StageWorker(String stageName, PipelinePlan plan, StageTransport transport, JobRecorder recorder,
                     PipelineMetrics metrics, Executions executions) {
    this(stageName, plan, transport, recorder, metrics, executions, null);
  }

  /**
   * @param executions as above
   * @param cancels the process's cancellation watch, or null when jobs cannot be cancelled
   */
  public StageWorker(String stageName, PipelinePlan plan, StageTransport transport, JobRecorder recorder,
                     PipelineMetrics metrics, Executions executions, CancelWatch cancels) {
    this(stageName, plan, transport, recorder, metrics, executions, cancels, null);
  }

  /**
   * @param executions as above
   * @param cancels as above
   * @param deliveries counts redeliveries to bound poison messages, or null when nothing counts them
   *     (embedded mode: a process that dies takes its jobs with it)
   */
  public StageWorker(String stageName, PipelinePlan plan, StageTransport transport, JobRecorder recorder,
                     PipelineMetrics metrics, Executions executions, CancelWatch cancels, DeliveryCounter deliveries) {
    this.deliveries = deliveries;
    this.stageName = stageName;
    this.plan = plan;
    this.transport = transport;
    this.recorder = recorder;
    this.metrics = metrics;
    this.executions = executions;
    this.cancels = cancels;
  }

  @Override
  public Future<?> start() {
    WorkHandler handler = new WorkHandler() {
      @Override
      public Future<Void> handle(WorkItem item) {
        return StageWorker.this.handle(item);
      }

      @Override
      public Future<Void> handle(WorkItem item, boolean redelivered) {
        return redelivered && deliveries != null ? bounded(item) : handle(item);
      }
    };
    return transport.consume(stageName, plan.policy(stageName).concurrency(), handler).onSuccess(c -> consumer = c);
  }

  // A redelivery, counted over every worker. Past max-deliveries it is a poison message (most likely it kills
  // the process handling it): handing it to the stage again would take down one worker after another.
  private Future<Void> bounded(WorkItem item) {
    int max = plan.policy(stageName).maxDeliveries();
    return deliveries.redelivered(item).compose(n -> n <= max ? handle(item) : poisoned(item, max));
  }

  private Future<Void> poisoned(WorkItem item, int max) {
    String message = "stage '" + stageName + "' got this job " + max + " times without finishing it (each time its "
      + "worker died or lost its connection first); stages." + stageName + ".max-deliveries is " + max;
    return recorder.position(item).compose(t -> {
      if (t.finished()) {
        return Future.<Void>succeededFuture(); // a leftover of a job that ended anyway
      }
      JobOutcomeLog.outcome(item.jobId(), stageName, "poisoned", 0, item.attempt(), message);
      return transport.deadLetter(stageName, item, StageFailure.POISON_MESSAGE + ": " + message)
        .compose(v -> recorder.failed(item.at(t.at()), StageFailure.permanent(StageFailure.POISON_MESSAGE, message)))
        .<Void>mapEmpty();
    });
  }

  /** Stops intake; completes when this instance's executions in flight have finished. */
  @Override
  public Future<?> stop() {
    return stopConsuming();
  }

  /**
   * Takes no new deliveries from now on; completes when those in flight are acknowledged. Idempotent (a
   * drain calls it, and the undeploy after it).
   */
  public synchronized Future<Void> stopConsuming() {
    if (stopped == null) {
      stopped = consumer == null ? Future.succeededFuture() : consumer.stop();
    }
    return stopped;
  }

  /** This instance's consumer (for in-process elasticity). */
  public StageConsumer consumer() {
    return consumer;
  }

  // A delivery may repeat (redelivery after a crash, or a hand-off published twice): when the log is not where
  // the item says, what it holds decides, so a finished job is dropped and a completed stage is not run again.
  // A retry's item was made right after its retrying event: nothing to log before it runs. A cancelled job
  // that reaches a stage ends there, before the stage runs (and before a completed stage's hand-off): no
  // later stage runs once the owner cancelled.
  private Future<Void> handle(WorkItem item) {
    Future<Boolean> cancelled = cancels == null ? Future.succeededFuture(false) : cancels.isCancelled(item.jobId());
    return cancelled.compose(isCancelled -> {
      if (isCancelled) {
        return recorder.failed(item, CancelWatch.cancelled(item.jobId())).<Void>mapEmpty();
      }
      Future<Transition> before;
      if (item.attempt() == 0) {
        before = recorder.started(item);
      } else if (item.checkpoint().known()) {
        return execute(item);
      } else {
        before = recorder.position(item);
      }
      return before.compose(t -> {
        if (t.finished()) {
          return Future.succeededFuture();
        }
        ProgressEvent done = t.history() == null ? null : t.history().completed(stageName);
        if (done != null) {
          return advanceLogged(item.at(t.history().checkpointAfter(done)), done, item.degraded());
        }
        return execute(item.at(t.at()));
      });
    });
  }

  private Future<Void> execute(WorkItem item) {
    Stage stage = plan.stage(stageName);
    StagePolicy policy = plan.policy(stageName);
    StageExecution execution = new StageExecution(vertx, item);
    long begin = System.nanoTime();
    metrics.inflight(stageName, 1);
    executions.add(execution);
    return execution.run(stage, policy).transform(ar -> {
      executions.remove(execution);
      metrics.inflight(stageName, -1);
      long elapsed = System.nanoTime() - begin;
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(elapsed);
      StageFailure failure = ar.succeeded() ? null : StageFailure.of(ar.cause());
      if (failure != null && Executions.HANDED_OVER.equals(failure.code())) {
        // Shutdown: the same attempt goes back to the stage's queue for another worker at once; it did not
        // fail, so it neither counts as an attempt nor logs a retry.
        metrics.stageDuration(stageName, "handed_over", elapsed);
        JobOutcomeLog.outcome(item.jobId(), stageName, "handed_over", elapsedMs, item.attempt(), "shutdown: back to the queue");
        // Its checkpoint already counts its started event: the next worker reads the log instead, so that
        // started is not logged twice.
        return transport.send(stageName, item.at(Checkpoint.UNKNOWN), SendOptions.REQUEUE);
      }
      metrics.stageDuration(stageName, ar.succeeded() ? "success" : "failure", elapsed);
      if (ar.succeeded()) {
        JobOutcomeLog.outcome(item.jobId(), stageName, "completed", elapsedMs, item.attempt(), null);
        return advance(item, ar.result(), item.degraded());
      }
      if (StageFailure.CANCELLED.equals(failure.code())) {
        // not retried, no fallback, not dead-lettered: the owner asked for it
        JobOutcomeLog.outcome(item.jobId(), stageName, "cancelled", elapsedMs, item.attempt(), failure.getMessage());
        return recorder.failed(item, failure).<Void>mapEmpty();
      }
      String reason = failure.code() + " " + failure.getMessage();
      if (failure.retryable() && item.attempt() < policy.retries()) {
        metrics.retried(stageName);
        WorkItem retry = item.nextAttempt(item.checkpoint());
        Duration delay = retryDelay(policy, retry.attempt(), failure);
        JobOutcomeLog.outcome(item.jobId(), stageName, "retrying", elapsedMs, item.attempt(), reason + " (again in " + delay.toMillis() + " ms)");
        return recorder.retrying(retry).compose(t -> t.finished() ? Future.<Void>succeededFuture()
          : transport.send(stageName, retry.at(t.at()), SendOptions.delayed(delay)));
      }
      JsonObject fallback = fallback(stage, execution, failure);
      if (fallback != null) {
        JobOutcomeLog.outcome(item.jobId(), stageName, "fallback", elapsedMs, item.attempt(), reason);
        return advance(item, fallback, item.degraded().copy().add(stageName));
      }
      JobOutcomeLog.outcome(item.jobId(), stageName, "failed", elapsedMs, item.attempt(), reason);
      return transport.deadLetter(stageName, item, failure.code() + ": " + failure.getMessage())
        .compose(v -> recorder.failed(item, failure)).<Void>mapEmpty();
    });
  }

  /**
   * The policy's backoff, or the failure's own {@link StageFailure#retryAfter()} when that is longer: an
   * upstream that said "not before 5 s" is not asked again after 1 s.
   */
  static Duration retryDelay(StagePolicy policy, int retry, StageFailure failure) {
    Duration backoff = policy.backoff(retry, ThreadLocalRandom.current().nextDouble());
    return failure.retryAfter().compareTo(backoff) > 0 ? failure.retryAfter() : backoff;
  }

  private JsonObject fallback(Stage stage, StageExecution execution, StageFailure failure) {
    try {
      return stage.fallback(execution, failure);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "fallback of stage " + stageName + " threw", e);
      return null;
    }
  }

  // The output handed on is the one the log holds: when two executions raced (a duplicate delivery), the
  // first logged result wins everywhere.
  private Future<Void> advance(WorkItem item, JsonObject output, JsonArray degraded) {
    if (plan.next(stageName) == null) {
      return recorder.completedAndDone(item, output, degraded).mapEmpty();
    }
    return recorder.completed(item, output).compose(t -> t.finished() ? Future.<Void>succeededFuture()
      : advanceLogged(item.at(t.at()), t.event(), degraded));
  }

  // The stage's completion is in the log already: hand the job on (or end it) with the output logged there.
  private Future<Void> advanceLogged(WorkItem item, ProgressEvent completion, JsonArray degraded) {
    String next = plan.next(stageName);
    if (next == null) {
      return recorder.done(item, completion, degraded).mapEmpty();
    }
    JsonObject data = item.data().copy().mergeIn(completion.result() == null ? new JsonObject() : completion.result());
    return transport.send(next, item.handOff(next, data, degraded, item.checkpoint()), SendOptions.DEFAULT);
  }
}
