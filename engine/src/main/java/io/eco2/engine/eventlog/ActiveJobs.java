package io.eco2.engine.eventlog;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.List;

/**
 * The jobs that have not ended, each with the time from which the watchdog watches it, kept beside the
 * event log so that stalled jobs are found without scanning every job: a job enters with its first event
 * (watched from that event's time) and leaves with its terminal event, in the same step as the event
 * (one script call in Redis). The watchdog moves a job's time forward when it looked at it, so that it
 * comes back exactly when it could next be stalled.
 *
 * <p>Also the sweep's lease, so that one process sweeps at a time, and each job's re-drive count. In
 * distributed mode everything lives in Redis ({@code P:active} sorted set, {@code P:watchdog:lease},
 * {@code P:redrives:<job>}); in embedded mode in memory, where the one process always holds the lease.
 */
public interface ActiveJobs {

  /** Up to {@code limit} active jobs watched from {@code before} or earlier, the earliest first. */
  Future<List<String>> watchedBefore(long before, int limit);

  /** Watches the job from {@code at} on (epoch ms); does nothing when the job is not active any more. */
  Future<Void> watchFrom(String jobId, long at);

  /** Stops watching a job (it ended, or its log expired). */
  Future<Void> unwatch(String jobId);

  /** Counts one more re-drive of the job (kept as long as its events) and answers the count so far. */
  Future<Long> countRedrive(String jobId);

  /**
   * Takes the sweep lease for {@code holder}, or renews it if {@code holder} already holds it, for
   * {@code ttl}; answers whether {@code holder} holds it now.
   */
  Future<Boolean> lease(String holder, Duration ttl);
}
