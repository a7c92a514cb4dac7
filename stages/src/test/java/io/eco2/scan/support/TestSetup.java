package io.eco2.scan.support;

import io.eco2.engine.llm.LlmProvider;
import io.eco2.engine.stage.StageSetup;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** A {@link StageSetup} built by hand: the stage's section, the LLM and an empty engine configuration. */
public record TestSetup(Vertx vertx, JsonObject config, LlmProvider llm, JsonObject engineConfig) implements StageSetup {

  public static TestSetup of(Vertx vertx, LlmProvider llm) {
    return new TestSetup(vertx, new JsonObject(), llm, new JsonObject());
  }

  public static TestSetup withOptions(Vertx vertx, LlmProvider llm, JsonObject options) {
    return new TestSetup(vertx, new JsonObject().put("options", options), llm, new JsonObject());
  }
}
