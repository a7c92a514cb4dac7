package com.example.textstats;

import io.eco2.engine.api.ApiSurface;
import io.eco2.engine.api.RequestRejected;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * API surface {@code text-stats}: jobs under {@code /api/v1/texts}. A submit is
 * {@code {"text": "...", "top": 5}} ({@code text} required, at most {@value #MAX_TEXT} characters;
 * {@code top} optional, 1 to 50, default 5); the result is {@code {"job_id", "status", "stats", "error"}}.
 * Nothing of the scan API: no image, no model, no reward.
 */
public final class TextStatsSurface implements ApiSurface {

  public static final String NAME = "text-stats";
  public static final String BASE_PATH = "/api/v1/texts";
  public static final int MAX_TEXT = 10_000;
  public static final int DEFAULT_TOP = 5;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String basePath() {
    return BASE_PATH;
  }

  @Override
  public JsonObject toJobData(JsonObject body) {
    Object text = body.getValue("text");
    if (!(text instanceof String s) || s.isBlank()) {
      throw new RequestRejected("TEXT_REQUIRED", "text is required: a non-blank string");
    }
    if (s.length() > MAX_TEXT) {
      throw new RequestRejected("TEXT_TOO_LONG", "text is " + s.length() + " characters; at most " + MAX_TEXT + " are allowed");
    }
    Object top = body.getValue("top", DEFAULT_TOP);
    if (!(top instanceof Integer n) || n < 1 || n > 50) {
      throw new RequestRejected("INVALID_TOP", "top must be a whole number from 1 to 50, got " + top);
    }
    return new JsonObject().put("text", s).put("top", n);
  }

  @Override
  public JsonObject completedResult(String jobId, JsonObject data, JsonArray degraded) {
    return new JsonObject().put("job_id", jobId).put("status", "completed").put("stats", data.getJsonObject("stats")).putNull("error");
  }

  @Override
  public JsonObject failedResult(String jobId, JsonObject data, JsonArray degraded, String stage, String code, String message) {
    return new JsonObject().put("job_id", jobId).put("status", "failed").putNull("stats")
      .put("error", new JsonObject().put("stage", stage).put("code", code).put("message", message));
  }
}
