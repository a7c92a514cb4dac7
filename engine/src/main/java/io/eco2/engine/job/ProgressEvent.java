package io.eco2.engine.job;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * One logged step of a job's progress: what an SSE frame carries.
 *
 * @param id the event's id in the job's event log ({@code <ms>-<n>}, strictly increasing per job)
 * @param jobId the job
 * @param stage {@code queued}, a stage name, {@code done} or {@code error}
 * @param status {@code started}, {@code completed}, {@code retrying} or {@code failed}
 * @param seq 0 for {@code queued}, then strictly increasing by one
 * @param ts epoch milliseconds when it was logged
 * @param progress 0–100, never decreasing within a job
 * @param result the stage output on {@code completed}, the whole result on {@code done},
 *     {@code {"error", "code"}} on {@code error}, otherwise null
 */
public record ProgressEvent(String id, String jobId, String stage, String status, long seq, long ts, int progress,
                            JsonObject result) {

  public static final String QUEUED = "queued";
  public static final String DONE = "done";
  public static final String ERROR = "error";

  public static final String STARTED = "started";
  public static final String COMPLETED = "completed";
  public static final String RETRYING = "retrying";
  public static final String FAILED = "failed";

  public ProgressEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(status, "status");
  }

  /** Whether this event ends the job's stream. */
  public boolean isTerminal() {
    return DONE.equals(stage) || ERROR.equals(stage);
  }

  /** The SSE {@code data:} object, field names as CONTRACT §2. */
  public JsonObject toJson() {
    return new JsonObject()
      .put("job_id", jobId)
      .put("stage", stage)
      .put("status", status)
      .put("seq", seq)
      .put("ts", ts)
      .put("progress", progress)
      .put("result", result);
  }
}
