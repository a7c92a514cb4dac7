package io.eco2.engine.stage;

import io.eco2.engine.llm.LlmProvider;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * What a stage receives once at {@link Stage#init}: the Vert.x instance, its own configuration section and
 * the engine's shared services.
 */
public interface StageSetup {

  /** The key of a stage's own settings inside {@code stages.<name>}. */
  String OPTIONS = "options";

  Vertx vertx();

  /** The stage's section {@code stages.<name>} (policy keys included; stage-specific keys are the stage's). */
  JsonObject config();

  /**
   * The stage's own settings, {@code stages.<name>.options}: free-form, never looked into by the engine,
   * validated by the stage (see {@link StageOptions}). An empty object when none are configured.
   */
  default JsonObject options() {
    Object value = config() == null ? null : config().getValue(OPTIONS);
    return value instanceof JsonObject json ? json : new JsonObject();
  }

  /** The engine's LLM provider ({@code llm.provider}). */
  LlmProvider llm();

  /**
   * The whole engine configuration, read-only by convention.
   *
   * @deprecated a stage's settings are its own: read {@link #options()}. Kept so that stages built against
   *     SPI 1.0 keep working; it will be removed in SPI 2.0.
   */
  @Deprecated
  JsonObject engineConfig();
}
