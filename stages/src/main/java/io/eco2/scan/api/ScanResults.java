package io.eco2.scan.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * Builds the body of {@code GET /api/v1/scan/{id}/result} (CONTRACT §2) from a job's accumulated data.
 *
 * <p>{@code pipeline_result} holds every stage output except {@code reward}, which the contract puts at the
 * top level; the submitted input fields are left out. A stage added to the pipeline (a plugin) appears in
 * {@code pipeline_result} under the fields it output.
 */
final class ScanResults {

  /** The fields a submit puts into a job's data; they are input, not results. */
  static final Set<String> INPUT_FIELDS = Set.of("image_url", "user_input", "model");

  private ScanResults() {
  }

  static JsonObject completed(String jobId, JsonObject data, JsonArray degraded) {
    return base(jobId, "completed", "classification completed", data, degraded).putNull("error");
  }

  static JsonObject failed(String jobId, JsonObject data, JsonArray degraded, String stage, String code, String message) {
    return base(jobId, "failed", "stage '" + stage + "' failed: " + message, data, degraded)
      .put("error", new JsonObject().put("stage", stage).put("code", code).put("message", message));
  }

  private static JsonObject base(String jobId, String status, String message, JsonObject data, JsonArray degraded) {
    JsonObject pipeline = new JsonObject();
    for (String key : data.fieldNames()) {
      if (!INPUT_FIELDS.contains(key) && !"reward".equals(key)) {
        pipeline.put(key, data.getValue(key));
      }
    }
    return new JsonObject()
      .put("task_id", jobId)
      .put("status", status)
      .put("message", message)
      .put("pipeline_result", pipeline)
      .put("reward", data.getValue("reward"))
      .put("degraded", degraded.copy());
  }
}
