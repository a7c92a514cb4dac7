package io.eco2.engine.api;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** What an {@link ApiSurface} receives once at {@link ApiSurface#init}. */
public interface SurfaceSetup {

  Vertx vertx();

  /** The whole validated engine configuration, read-only by convention (for keys shared with the engine, such as {@code llm.models}). */
  JsonObject engineConfig();
}
