package io.eco2.engine.api.impl;

import io.eco2.engine.api.SurfaceSetup;
import io.eco2.engine.config.EngineOptions;
import io.vertx.core.Vertx;

/**
 * The engine's {@link SurfaceSetup}: the Vertx instance and a copy of the engine's options on every call,
 * so that a surface that writes to what it was given cannot change the configuration the engine runs on.
 * Internal: an API surface sees only {@link SurfaceSetup}.
 */
public final class SurfaceSetupImpl implements SurfaceSetup {

  private final Vertx vertx;
  private final EngineOptions options;

  public SurfaceSetupImpl(Vertx vertx, EngineOptions options) {
    this.vertx = vertx;
    this.options = options;
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public EngineOptions options() {
    return new EngineOptions(options);
  }
}
