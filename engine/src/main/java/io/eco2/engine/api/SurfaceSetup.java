package io.eco2.engine.api;

import io.eco2.engine.config.EngineOptions;
import io.vertx.core.Vertx;

/** What an {@link ApiSurface} receives once at {@link ApiSurface#init}. */
public interface SurfaceSetup {

  Vertx vertx();

  /**
   * The engine's typed configuration, read-only by convention (for keys shared with the engine, such as
   * {@code llm.models} and {@code api.default-user-input}).
   */
  EngineOptions options();
}
