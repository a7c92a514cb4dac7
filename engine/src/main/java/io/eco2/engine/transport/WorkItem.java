package io.eco2.engine.transport;

import io.eco2.engine.eventlog.Checkpoint;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * A job's hand-off to one stage: the job's data so far and where it stands. Immutable; serialisable as JSON
 * so that any transport (event bus, RabbitMQ) can carry it.
 *
 * @param jobId the job
 * @param stage the stage that is to run
 * @param attempt 0 for the first attempt at this stage, then the retry number
 * @param submittedAt epoch ms when the job was accepted (for the job duration metric)
 * @param data the job's accumulated data (input and the outputs of earlier stages)
 * @param degraded the stages that fell back so far
 * @param checkpoint how far the job's log had come when this item was made (so the stage learns what is
 *     done without reading the log); {@link Checkpoint#UNKNOWN} when the sender did not say
 */
public record WorkItem(String jobId, String stage, int attempt, long submittedAt, JsonObject data, JsonArray degraded,
                       Checkpoint checkpoint) {

  public WorkItem {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(stage, "stage");
    data = data == null ? new JsonObject() : data;
    degraded = degraded == null ? new JsonArray() : degraded;
    checkpoint = checkpoint == null ? Checkpoint.UNKNOWN : checkpoint;
  }

  /** An item whose log position is unknown (the stage reads the log first). */
  public WorkItem(String jobId, String stage, int attempt, long submittedAt, JsonObject data, JsonArray degraded) {
    this(jobId, stage, attempt, submittedAt, data, degraded, Checkpoint.UNKNOWN);
  }

  /** The same job, one attempt later at the same stage, its log at {@code at}. */
  public WorkItem nextAttempt(Checkpoint at) {
    return new WorkItem(jobId, stage, attempt + 1, submittedAt, data, degraded, at);
  }

  /** The same job, one attempt later at the same stage (log position unknown). */
  public WorkItem nextAttempt() {
    return nextAttempt(Checkpoint.UNKNOWN);
  }

  /** The job handed to {@code nextStage} with its new data, its log at {@code at}. */
  public WorkItem handOff(String nextStage, JsonObject newData, JsonArray newDegraded, Checkpoint at) {
    return new WorkItem(jobId, nextStage, 0, submittedAt, newData, newDegraded, at);
  }

  /** The job handed to {@code nextStage} with its new data (log position unknown). */
  public WorkItem handOff(String nextStage, JsonObject newData, JsonArray newDegraded) {
    return handOff(nextStage, newData, newDegraded, Checkpoint.UNKNOWN);
  }

  /** The same item at another log position. */
  public WorkItem at(Checkpoint at) {
    return new WorkItem(jobId, stage, attempt, submittedAt, data, degraded, at);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("job_id", jobId).put("stage", stage).put("attempt", attempt)
      .put("submitted_at", submittedAt).put("data", data).put("degraded", degraded);
    if (checkpoint.known()) {
      json.put("checkpoint", new JsonObject().put("events", checkpoint.events()).put("completed", checkpoint.completedStage()));
    }
    return json;
  }

  public static WorkItem fromJson(JsonObject json) {
    JsonObject cp = json.getJsonObject("checkpoint");
    Checkpoint checkpoint = cp == null ? Checkpoint.UNKNOWN : new Checkpoint(cp.getLong("events", -1L), cp.getString("completed"));
    return new WorkItem(json.getString("job_id"), json.getString("stage"), json.getInteger("attempt", 0),
      json.getLong("submitted_at", 0L), json.getJsonObject("data"), json.getJsonArray("degraded"), checkpoint);
  }
}
