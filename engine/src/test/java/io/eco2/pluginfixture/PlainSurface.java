package io.eco2.pluginfixture;

import io.eco2.engine.api.ApiSurface;
import io.vertx.core.json.JsonObject;

/** An API surface in a plugin jar for the plugin loader's tests. */
public final class PlainSurface implements ApiSurface {

  @Override
  public String name() {
    return "plain";
  }

  @Override
  public String basePath() {
    return "/api/v1/plain";
  }

  @Override
  public JsonObject toJobData(JsonObject body) {
    return body;
  }
}
