package io.eco2.engine.runtime;

import io.eco2.engine.eventlog.JobStore;
import io.eco2.engine.stage.StageFailure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How a worker process learns that a job it is running was cancelled ({@code DELETE /api/v1/scan/{id}}):
 * every {@code pipeline.cancel-check-ms} it asks the job store about the jobs it has in flight (one
 * {@code MGET} per {@value #BATCH} jobs in distributed mode; nothing while idle) and cancels their running
 * attempts with code {@code CANCELLED}, through {@link io.eco2.engine.stage.StageContext#cancelled()}.
 *
 * <p>Polling rather than a notification: a request made while a worker was disconnected is still seen,
 * and the check costs nothing when nothing runs. A job that is not running (waiting in a queue or out a
 * retry) is ended by the worker that next receives it ({@link #isCancelled}), before its stage runs.
 */
public final class CancelWatch {

  /** Jobs asked about per store round trip. */
  static final int BATCH = 500;

  private static final System.Logger LOG = System.getLogger(CancelWatch.class.getName());

  private final Vertx vertx;
  private final JobStore store;
  private final Duration interval;
  private final Executions running;
  private long timer = -1;
  private volatile boolean checking;

  /** @param running the process's executions in flight (the registry shutdown uses too) */
  public CancelWatch(Vertx vertx, JobStore store, Executions running, Duration interval) {
    this.vertx = vertx;
    this.store = store;
    this.running = running;
    this.interval = interval;
  }

  /** The failure a cancelled attempt ends with (not retryable, no fallback). */
  public static StageFailure cancelled(String jobId) {
    return StageFailure.permanent(StageFailure.CANCELLED, "job '" + jobId + "' was cancelled by its owner");
  }

  public void start() {
    timer = vertx.setPeriodic(interval.toMillis(), id -> check());
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** Whether the job's owner asked to cancel it. */
  Future<Boolean> isCancelled(String jobId) {
    return store.cancelRequested(List.of(jobId)).map(set -> set.contains(jobId));
  }

  // One check at a time: a slow store must not pile up checks.
  private void check() {
    if (checking || !store.mayHaveCancelRequests()) {
      return;
    }
    List<String> ids = running.jobIds();
    if (ids.isEmpty()) {
      return;
    }
    checking = true;
    List<Future<Set<String>>> batches = new ArrayList<>();
    for (int i = 0; i < ids.size(); i += BATCH) {
      batches.add(store.cancelRequested(ids.subList(i, Math.min(ids.size(), i + BATCH))));
    }
    Future.join(batches).onComplete(ar -> {
      checking = false;
      for (Future<Set<String>> batch : batches) {
        if (batch.failed()) {
          LOG.log(System.Logger.Level.DEBUG, "cancel check failed (retried next interval): {0}", batch.cause().getMessage());
          continue;
        }
        for (String jobId : batch.result()) {
          running.cancelOnTheirContexts(jobId, cancelled(jobId));
        }
      }
    });
  }
}
