package io.eco2.engine.runtime;

import io.eco2.engine.api.ApiSurface;
import io.eco2.engine.eventlog.EventId;
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

/**
 * Writes a job's progress to the event log in the contract's terms: which event, which status, what
 * progress, and the result written before the terminal event.
 *
 * <p>Every update carries a dedup key derived from (stage, status, attempt), so writing the same step twice
 * (a redelivery) logs it once.
 */
public final class JobRecorder {

  private final EventLog log;
  private final JobStore store;
  private final PipelinePlan plan;
  private final PipelineMetrics metrics;
  private final ApiSurface surface;

  /** @param surface shapes the stored result of each job that ends */
  public JobRecorder(EventLog log, JobStore store, PipelinePlan plan, PipelineMetrics metrics, ApiSurface surface) {
    this.surface = surface;
    this.log = log;
    this.store = store;
    this.plan = plan;
    this.metrics = metrics;
  }

  /** What the log holds for the job so far. */
  Future<JobHistory> history(WorkItem item) {
    return log.readAfter(item.jobId(), EventId.ZERO).map(JobHistory::new);
  }

  /** The first event of every job, written by submit. */
  public Future<ProgressEvent> queued(String jobId) {
    return log.append(jobId, ProgressUpdate.of(ProgressEvent.QUEUED, ProgressEvent.COMPLETED, 0, null, 0));
  }

  Future<ProgressEvent> started(WorkItem item) {
    return log.append(item.jobId(), ProgressUpdate.of(item.stage(), ProgressEvent.STARTED,
      plan.progressBefore(item.stage()), null, item.attempt()));
  }

  Future<ProgressEvent> retrying(WorkItem item) {
    return log.append(item.jobId(), ProgressUpdate.of(item.stage(), ProgressEvent.RETRYING,
      plan.progressBefore(item.stage()), null, item.attempt()));
  }

  Future<ProgressEvent> completed(WorkItem item, JsonObject output) {
    return log.append(item.jobId(), ProgressUpdate.of(item.stage(), ProgressEvent.COMPLETED,
      plan.progressAfter(item.stage()), output, 0));
  }

  /** Stores the result, then logs {@code done} carrying it. */
  Future<ProgressEvent> done(WorkItem item, JsonObject data, JsonArray degraded) {
    JsonObject result = surface.completedResult(item.jobId(), data.copy(), degraded.copy());
    return store.putResult(item.jobId(), result)
      .compose(v -> log.append(item.jobId(), ProgressUpdate.of(ProgressEvent.DONE, ProgressEvent.COMPLETED, 100, result, 0)))
      .onSuccess(e -> metrics.jobEnded(degraded.isEmpty() ? PipelineMetrics.OUTCOME_COMPLETED : PipelineMetrics.OUTCOME_DEGRADED,
        sinceSubmit(item)));
  }

  /** Stores the failed result, then logs the job's single {@code error} event. */
  Future<ProgressEvent> failed(WorkItem item, StageFailure failure) {
    JsonObject result = surface.failedResult(item.jobId(), item.data().copy(), item.degraded().copy(),
      item.stage(), failure.code(), failure.getMessage());
    JsonObject error = new JsonObject().put("error", failure.getMessage()).put("code", failure.code()).put("stage", item.stage());
    return store.putResult(item.jobId(), result)
      .compose(v -> log.append(item.jobId(), ProgressUpdate.of(ProgressEvent.ERROR, ProgressEvent.FAILED,
        plan.progressBefore(item.stage()), error, 0)))
      .onSuccess(e -> metrics.jobEnded(PipelineMetrics.OUTCOME_FAILED, sinceSubmit(item)));
  }

  private static Duration sinceSubmit(WorkItem item) {
    return Duration.ofMillis(Math.max(0, System.currentTimeMillis() - item.submittedAt()));
  }
}
