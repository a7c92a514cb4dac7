package io.eco2.engine.runtime;

import io.eco2.engine.api.ApiSurface;
import io.eco2.engine.eventlog.Checkpoint;
import io.eco2.engine.eventlog.EventLog;
import io.eco2.engine.eventlog.JobStore;
import io.eco2.engine.job.ProgressEvent;
import io.eco2.engine.job.ProgressUpdate;
import io.eco2.engine.metrics.PipelineMetrics;
import io.eco2.engine.stage.StageFailure;
import io.eco2.engine.transport.WorkItem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a job's progress to the event log in the contract's terms: which event, which status, what
 * progress, and the result stored with the terminal event.
 *
 * <p>Each state transition is one {@link EventLog#transition} at the position the work item's
 * {@link Checkpoint} names: no read before it, and the last stage's {@code completed}, the result and
 * {@code done} go together. When the log is not where the item says (a redelivery, a twin of a message, an
 * item without a checkpoint), the log is read once and what it holds already is not written again: every
 * update carries a dedup key derived from (stage, status, attempt), and the first logging of a step wins.
 */
public final class JobRecorder {

  /** Conflicts resolved in a row before a transition gives up (its delivery is then retried). */
  private static final int MAX_CONFLICTS = 3;

  private final EventLog log;
  private final PipelinePlan plan;
  private final PipelineMetrics metrics;
  private final ApiSurface surface;

  /**
   * @param store the job store beside {@code log}: results travel inside the terminal transition
   *     ({@link EventLog#transition}), so nothing is written to it separately
   * @param surface shapes the stored result of each job that ends
   */
  public JobRecorder(EventLog log, JobStore store, PipelinePlan plan, PipelineMetrics metrics, ApiSurface surface) {
    this.surface = surface;
    this.log = log;
    this.plan = plan;
    this.metrics = metrics;
  }

  /** The first event of every job, written by submit; the job's first item then starts at {@link Checkpoint#QUEUED}. */
  public Future<ProgressEvent> queued(String jobId) {
    ProgressUpdate queued = ProgressUpdate.of(ProgressEvent.QUEUED, ProgressEvent.COMPLETED, 0, null, 0);
    WorkItem first = new WorkItem(jobId, ProgressEvent.QUEUED, 0, System.currentTimeMillis(), null, null, new Checkpoint(0, null));
    return record(first, List.of(queued), null, MAX_CONFLICTS).compose(t -> t.finished()
      ? Future.failedFuture("job " + jobId + " already ended before its queued event")
      : Future.succeededFuture(t.event()));
  }

  /** Where the job's log stands, read from it (for an item whose checkpoint is unknown). */
  Future<Transition> position(WorkItem item) {
    return log.history(item.jobId()).map(JobHistory::new)
      .map(h -> h.finished() ? Transition.ended(h) : new Transition(List.of(), h.checkpoint(), h, false));
  }

  Future<Transition> started(WorkItem item) {
    return record(item, List.of(ProgressUpdate.of(item.stage(), ProgressEvent.STARTED,
      plan.progressBefore(item.stage()), null, item.attempt())), null, MAX_CONFLICTS);
  }

  Future<Transition> retrying(WorkItem item) {
    return record(item, List.of(ProgressUpdate.of(item.stage(), ProgressEvent.RETRYING,
      plan.progressBefore(item.stage()), null, item.attempt())), null, MAX_CONFLICTS);
  }

  Future<Transition> completed(WorkItem item, JsonObject output) {
    return record(item, List.of(completion(item, output)), null, MAX_CONFLICTS);
  }

  /**
   * The last stage's {@code completed}, the result and {@code done}, in one transition. When the log moved
   * on (a redelivery), the completion the log holds decides the result, as in {@link #completed}.
   */
  Future<Transition> completedAndDone(WorkItem item, JsonObject output, JsonArray degraded) {
    Checkpoint cp = item.checkpoint();
    if (cp.known()) {
      JsonObject result = surface.completedResult(item.jobId(), item.data().copy().mergeIn(output), degraded.copy());
      List<ProgressUpdate> updates = List.of(completion(item, output), doneUpdate(result));
      return log.transition(item.jobId(), cp.events(), updates, result, item.submittedAt()).compose(o -> {
        if (!o.conflict()) {
          jobEnded(item, degraded);
          return Future.succeededFuture(new Transition(o.appended(), cp.after(o.appended().size(), item.stage()), null, false));
        }
        // Resolved like any conflict (a twin may have ended the job meanwhile): never appended at a position
        // read from the log without checking what the log holds there.
        return resolve(item, new JobHistory(o.history()), List.of(completion(item, output)), null, MAX_CONFLICTS)
          .compose(t -> doneAfter(item, t, degraded));
      });
    }
    return completed(item, output).compose(t -> doneAfter(item, t, degraded));
  }

  /** {@code done} after a completion already logged (its logged output is the one the result holds). */
  Future<Transition> done(WorkItem item, ProgressEvent completion, JsonArray degraded) {
    JsonObject data = item.data().copy().mergeIn(completion.result() == null ? new JsonObject() : completion.result());
    JsonObject result = surface.completedResult(item.jobId(), data, degraded.copy());
    return record(item, List.of(doneUpdate(result)), result, MAX_CONFLICTS).onSuccess(t -> {
      if (!t.finished()) {
        jobEnded(item, degraded);
      }
    });
  }

  private Future<Transition> doneAfter(WorkItem item, Transition completed, JsonArray degraded) {
    return completed.finished() ? Future.succeededFuture(completed) : done(item.at(completed.at()), completed.event(), degraded);
  }

  /** Stores the failed result and logs the job's single {@code error} event, in one transition. */
  Future<Transition> failed(WorkItem item, StageFailure failure) {
    JsonObject result = surface.failedResult(item.jobId(), item.data().copy(), item.degraded().copy(),
      item.stage(), failure.code(), failure.getMessage());
    JsonObject error = new JsonObject().put("error", failure.getMessage()).put("code", failure.code()).put("stage", item.stage());
    ProgressUpdate update = ProgressUpdate.of(ProgressEvent.ERROR, ProgressEvent.FAILED, plan.progressBefore(item.stage()), error, 0);
    return record(item, List.of(update), result, MAX_CONFLICTS).onSuccess(t -> {
      if (!t.finished()) {
        metrics.jobEnded(PipelineMetrics.OUTCOME_FAILED, sinceSubmit(item));
      }
    });
  }

  private ProgressUpdate completion(WorkItem item, JsonObject output) {
    return ProgressUpdate.of(item.stage(), ProgressEvent.COMPLETED, plan.progressAfter(item.stage()), output, 0);
  }

  private static ProgressUpdate doneUpdate(JsonObject result) {
    return ProgressUpdate.of(ProgressEvent.DONE, ProgressEvent.COMPLETED, 100, result, 0);
  }

  // One transition at the item's checkpoint; an unknown checkpoint is read from the log first.
  private Future<Transition> record(WorkItem item, List<ProgressUpdate> updates, JsonObject result, int conflicts) {
    Checkpoint cp = item.checkpoint();
    if (!cp.known()) {
      return log.history(item.jobId()).compose(h -> resolve(item, new JobHistory(h), updates, result, conflicts));
    }
    return log.transition(item.jobId(), cp.events(), updates, result, item.submittedAt()).compose(o -> o.conflict()
      ? resolve(item, new JobHistory(o.history()), updates, result, conflicts)
      : Future.succeededFuture(new Transition(o.appended(), cp.after(o.appended().size(), completedStage(updates)), null, false)));
  }

  // The log is not where the item said: what it holds already is not logged again, the rest is appended
  // at the log's real position.
  private Future<Transition> resolve(WorkItem item, JobHistory history, List<ProgressUpdate> updates, JsonObject result,
                                     int conflicts) {
    if (history.finished()) {
      return Future.succeededFuture(Transition.ended(history));
    }
    List<ProgressEvent> found = new ArrayList<>();
    List<ProgressUpdate> missing = new ArrayList<>();
    for (ProgressUpdate u : updates) {
      ProgressEvent e = history.logged(u.dedupKey());
      if (e != null) {
        found.add(e);
      } else {
        missing.add(u);
      }
    }
    if (missing.isEmpty()) {
      // Handed on from just after what was found, so the next step meets the log where this one left it.
      return Future.succeededFuture(new Transition(found, history.checkpointAfter(found.get(found.size() - 1)), history, false));
    }
    if (conflicts <= 0) {
      return Future.failedFuture(new StageFailure(StageFailure.STAGE_FAILED, "job " + item.jobId()
        + ": its event log kept changing while " + item.stage() + " appended to it; the delivery is retried", true));
    }
    return record(item.at(history.checkpoint()), missing, result, conflicts - 1).map(t -> {
      List<ProgressEvent> all = new ArrayList<>(found);
      all.addAll(t.events());
      return new Transition(all, t.at(), history, t.finished());
    });
  }

  private static String completedStage(List<ProgressUpdate> updates) {
    String completed = null;
    for (ProgressUpdate u : updates) {
      if (ProgressEvent.COMPLETED.equals(u.status()) && !ProgressEvent.QUEUED.equals(u.stage())
        && !ProgressEvent.DONE.equals(u.stage())) {
        completed = u.stage();
      }
    }
    return completed;
  }

  private void jobEnded(WorkItem item, JsonArray degraded) {
    metrics.jobEnded(degraded.isEmpty() ? PipelineMetrics.OUTCOME_COMPLETED : PipelineMetrics.OUTCOME_DEGRADED, sinceSubmit(item));
  }

  private static Duration sinceSubmit(WorkItem item) {
    return Duration.ofMillis(Math.max(0, System.currentTimeMillis() - item.submittedAt()));
  }
}
