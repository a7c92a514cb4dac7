package io.eco2.engine.eventlog;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Job results and submit idempotency: the keyed state that lives beside the event log.
 *
 * <p>A result is written before the job's terminal event, so a client that sees {@code done} can always
 * fetch it. Both expire after their configured TTLs.
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
}
