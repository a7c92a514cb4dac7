package io.eco2.scan.api;

import io.eco2.engine.api.ApiSurface;
import io.eco2.engine.api.SurfaceSetup;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The Eco² scan API (CONTRACT §2) as the engine's {@link ApiSurface}: jobs under {@code /api/v1/scan}, a
 * submit body of {@code image_url}, {@code user_input} and {@code model}, and results with
 * {@code pipeline_result} and a top-level {@code reward}.
 */
public final class ScanSurface implements ApiSurface {

  public static final String NAME = "scan";
  public static final String BASE_PATH = "/api/v1/scan";

  private volatile ScanApiOptions options;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String basePath() {
    return BASE_PATH;
  }

  @Override
  public Future<Void> init(SurfaceSetup setup) {
    options = new ScanApiOptions(setup.options());
    return Future.succeededFuture();
  }

  @Override
  public JsonObject toJobData(JsonObject body) {
    return ScanRequest.parse(body, options).toJobData();
  }

  @Override
  public JsonObject completedResult(String jobId, JsonObject data, JsonArray degraded) {
    return ScanResults.completed(jobId, data, degraded);
  }

  @Override
  public JsonObject failedResult(String jobId, JsonObject data, JsonArray degraded, String stage, String code, String message) {
    return ScanResults.failed(jobId, data, degraded, stage, code, message);
  }
}
