package io.eco2.engine.eventlog;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Set;

/**
 * Job results, owners, cancellation requests and submit idempotency: the keyed state that lives beside the
 * event log.
 *
 * <p>A result is written before the job's terminal event, so a client that sees {@code done} can always
 * fetch it. A job's owner and cancellation request live as long as its events. Everything expires after
 * its configured TTL.
 */
public interface JobStore {

  /** Stores the body of {@code GET …/result} for a finished job. */
  Future<Void> putResult(String jobId, JsonObject result);

  /** The finished job's result, or null when unknown, unfinished or expired. */
  Future<JsonObject> result(String jobId);

  /**
   * Records {@code response} under the idempotency key unless the key is already held.
   *
   * @return null when this call claimed the key, else the response recorded first
   */
  Future<JsonObject> claimIdempotencyKey(String key, JsonObject response);

  /** Forgets a key whose job was not accepted, so a retry of the same request may succeed. */
  Future<Void> releaseIdempotencyKey(String key);

  /**
   * Replaces what a claimed idempotency key holds (a pending submit that became confirmed), keeping the
   * key's expiry; does nothing when the key is no longer held.
   */
  Future<Void> replaceIdempotencyRecord(String key, JsonObject record);

  /**
   * Records the job's input (its data as submitted, before its first event), so that a job whose work was
   * lost can be handed to a stage again; it lives as long as the job's events.
   */
  Future<Void> putInput(String jobId, JsonObject input);

  /** The job's input as submitted, or null when unknown or expired. */
  Future<JsonObject> input(String jobId);

  /** Records who submitted the job (before its first event). */
  Future<Void> putOwner(String jobId, String owner);

  /** Who submitted the job, or null when it has no owner (authentication off) or expired. */
  Future<String> owner(String jobId);

  /** Records that the job's owner asked to cancel it; workers running it see it on their next check. */
  Future<Void> requestCancel(String jobId);

  /** Which of {@code jobIds} have a cancellation request (one round trip in distributed mode). */
  Future<Set<String>> cancelRequested(List<String> jobIds);

  /**
   * False only when this store knows, without a round trip, that no job has a cancellation request (the
   * in-memory store), so that a caller checking thousands of jobs in flight can skip
   * {@link #cancelRequested} altogether. True by default.
   */
  default boolean mayHaveCancelRequests() {
    return true;
  }
}
