package io.eco2.engine.api;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * The plainest surface: any JSON object a client submits is the job's initial data, and results have the
 * generic shape of {@link ApiSurface}'s defaults. For embedding applications and tests that validate
 * input in their first stage. Not registered as a service: an application hands it to the engine in code.
 */
public final class JsonSurface implements ApiSurface {

  /** The base path of {@link #JsonSurface()}. */
  public static final String DEFAULT_BASE_PATH = "/api/v1/jobs";

  private final String basePath;

  public JsonSurface() {
    this(DEFAULT_BASE_PATH);
  }

  /** @param basePath where jobs live: starts with {@code /}, no trailing {@code /} */
  public JsonSurface(String basePath) {
    Objects.requireNonNull(basePath);
    if (!basePath.startsWith("/") || basePath.endsWith("/")) {
      throw new IllegalArgumentException("base path must start with '/' and not end with one, got '" + basePath + "'");
    }
    this.basePath = basePath;
  }

  @Override
  public String name() {
    return "json";
  }

  @Override
  public String basePath() {
    return basePath;
  }

  @Override
  public JsonObject toJobData(JsonObject body) {
    return body.copy();
  }
}
