package io.eco2.engine.runtime.impl;

import io.eco2.engine.config.EngineOptions;
import io.eco2.engine.llm.LlmProvider;
import io.eco2.engine.stage.StageSetup;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The engine's {@link StageSetup} for one stage: its own section {@code stages.<name>}, the process's LLM
 * provider, and (deprecated, for SPI 1.0 stages) the whole configuration as a fresh tree on every call.
 * Internal: a stage sees only {@link StageSetup}.
 */
public final class StageSetupImpl implements StageSetup {

  private final Vertx vertx;
  private final JsonObject section;
  private final LlmProvider llm;
  private final EngineOptions options;

  public StageSetupImpl(Vertx vertx, JsonObject section, LlmProvider llm, EngineOptions options) {
    this.vertx = vertx;
    this.section = section;
    this.llm = llm;
    this.options = options;
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public JsonObject config() {
    return section;
  }

  @Override
  public LlmProvider llm() {
    return llm;
  }

  @Override
  @Deprecated
  public JsonObject engineConfig() {
    return options.toJson();
  }
}
