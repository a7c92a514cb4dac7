package io.eco2.engine.eventlog;

import io.eco2.engine.job.ProgressEvent;
import io.eco2.engine.job.ProgressUpdate;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The per-job, append-only progress log that SSE streams, status and results are served from.
 *
 * <p>Promises: ids and seqs of one job strictly increase in append order; an update whose
 * {@link ProgressUpdate#dedupKey()} the job already holds is not appended again (the existing event is
 * returned), which makes redelivered work idempotent; a job's events expire together some time after its
 * last event. Implementations: in memory (embedded mode) and Redis Streams (distributed mode).
 */
public interface EventLog {

  /** Appends an update to the job's log and returns the event as logged. */
  Future<ProgressEvent> append(String jobId, ProgressUpdate update);

  /**
   * One state transition of a job as one step (one script call in Redis): if the job's log holds exactly
   * {@code expectedEvents} events, stores {@code result} (when not null) as the job's result first, then
   * appends {@code updates} in order and notifies subscribers of each; otherwise changes nothing and answers
   * a conflict holding the whole log. Dedup keys are not consulted: whoever holds the expected position is
   * the only writer, and after a conflict the caller decides from the history (see {@link Checkpoint}).
   *
   * @param submittedAt epoch ms the job was accepted; the log may refresh expiries less often for young jobs
   */
  Future<TransitionOutcome> transition(String jobId, long expectedEvents, List<ProgressUpdate> updates,
                                       JsonObject result, long submittedAt);

  /** The job's whole log with each event's dedup key (what a conflict is resolved from). */
  Future<List<LoggedEvent>> history(String jobId);

  /**
   * The job's events after {@code after} (exclusive; {@link EventId#ZERO} for all), in order. An unknown or
   * expired job yields an empty list.
   */
  Future<List<ProgressEvent>> readAfter(String jobId, EventId after);

  /** The job's latest event, or null when the job is unknown or expired. */
  Future<ProgressEvent> latest(String jobId);

  /**
   * Delivers every event appended to the job from now on to {@code handler}, until the subscription is
   * cancelled. The handler may be called on any thread; it must be quick and must not block. The log
   * serves all subscriptions of a process from one source: subscribing costs no backing-service connection.
   */
  EventSubscription subscribe(String jobId, Handler<ProgressEvent> handler);

  /** Removes a job that was never accepted (admission refused it after its first event). */
  Future<Void> discard(String jobId);

  /** Whether the backing service answers (always true in memory). */
  default Future<Void> ping() {
    return Future.succeededFuture();
  }

  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
