package io.eco2.engine.transport;

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
 */
public record WorkItem(String jobId, String stage, int attempt, long submittedAt, JsonObject data, JsonArray degraded) {

  public WorkItem {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(stage, "stage");
    data = data == null ? new JsonObject() : data;
    degraded = degraded == null ? new JsonArray() : degraded;
  }

  /** The same job, one attempt later at the same stage. */
  public WorkItem nextAttempt() {
    return new WorkItem(jobId, stage, attempt + 1, submittedAt, data, degraded);
  }

  /** The job handed to {@code nextStage} with its new data. */
  public WorkItem handOff(String nextStage, JsonObject newData, JsonArray newDegraded) {
    return new WorkItem(jobId, nextStage, 0, submittedAt, newData, newDegraded);
  }

  public JsonObject toJson() {
    return new JsonObject().put("job_id", jobId).put("stage", stage).put("attempt", attempt)
      .put("submitted_at", submittedAt).put("data", data).put("degraded", degraded);
  }

  public static WorkItem fromJson(JsonObject json) {
    return new WorkItem(json.getString("job_id"), json.getString("stage"), json.getInteger("attempt", 0),
      json.getLong("submitted_at", 0L), json.getJsonObject("data"), json.getJsonArray("degraded"));
  }
}
