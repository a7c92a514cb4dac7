package io.eco2.engine.job;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * A progress event before it is logged: the event log assigns its id, seq and timestamp.
 *
 * @param dedupKey identifies the step so that a redelivered execution does not log it twice
 *     ({@code "<stage>:<status>:<attempt>"}); the log ignores an update whose key it already holds
 */
public record ProgressUpdate(String stage, String status, int progress, JsonObject result, String dedupKey) {

  public ProgressUpdate {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(dedupKey, "dedupKey");
  }

  public static ProgressUpdate of(String stage, String status, int progress, JsonObject result, int attempt) {
    return new ProgressUpdate(stage, status, progress, result, stage + ":" + status + ":" + attempt);
  }
}
