package io.eco2.engine.stage;

import io.eco2.engine.llm.LlmProvider;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * What a stage receives once at {@link Stage#init}: the Vert.x instance, its own configuration section and
 * the engine's shared services.
 */
public interface StageSetup {

  Vertx vertx();

  /** The stage's section {@code stages.<name>} (policy keys included; stage-specific keys are the stage's). */
  JsonObject config();

  /** The engine's LLM provider ({@code llm.provider}). */
  LlmProvider llm();

  /** The whole engine configuration, read-only by convention. */
  JsonObject engineConfig();
}
