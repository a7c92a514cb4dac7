package io.eco2.engine.runtime;

import io.eco2.engine.eventlog.EventLog;
import io.eco2.engine.eventlog.JobStore;
import io.eco2.engine.job.ProgressEvent;
import io.eco2.engine.stage.StageFailure;
import io.vertx.core.Future;

/**
 * Asks for a job to be cancelled: records the request in the job store, where the worker running the job
 * (any process) finds it within {@code pipeline.cancel-check-ms} ({@link CancelWatch}). The job then ends
 * with its one {@code error} event, code {@code CANCELLED}, and a {@code failed} result carrying it.
 *
 * <p>Repeating a request is harmless: a job still ending answers {@link Outcome#REQUESTED} again, a job
 * that ended cancelled {@link Outcome#ALREADY_CANCELLED}.
 */
public final class JobCancellation {

  /** What a cancellation request found. */
  public enum Outcome {
    /** The job is queued or running; it will end with {@code CANCELLED}. */
    REQUESTED,
    /** The job already ended because it was cancelled. */
    ALREADY_CANCELLED,
    /** The job had already ended ({@code done}, or {@code error} for another reason). */
    ENDED,
    /** No such job (unknown or expired). */
    UNKNOWN
  }

  private final EventLog log;
  private final JobStore store;

  public JobCancellation(EventLog log, JobStore store) {
    this.log = log;
    this.store = store;
  }

  public Future<Outcome> cancel(String jobId) {
    return log.latest(jobId).compose(latest -> {
      if (latest == null) {
        return Future.succeededFuture(Outcome.UNKNOWN);
      }
      if (ProgressEvent.DONE.equals(latest.stage())) {
        return Future.succeededFuture(Outcome.ENDED);
      }
      if (ProgressEvent.ERROR.equals(latest.stage())) {
        boolean byOwner = latest.result() != null && StageFailure.CANCELLED.equals(latest.result().getString("code"));
        return Future.succeededFuture(byOwner ? Outcome.ALREADY_CANCELLED : Outcome.ENDED);
      }
      return store.requestCancel(jobId).map(Outcome.REQUESTED);
    });
  }
}
