package io.eco2.engine.llm.none;

import io.eco2.engine.llm.LlmProvider;
import io.eco2.engine.llm.LlmProviderFactory;
import io.eco2.engine.stage.StageFailure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * {@code llm.provider: none}: for pipelines whose stages call no LLM. Every call fails at once with the
 * non-retryable {@value #CODE}, so a stage that does call one learns why instead of waiting.
 */
public final class NoLlmProviderFactory implements LlmProviderFactory {

  public static final String NAME = "none";
  public static final String CODE = "LLM_NOT_CONFIGURED";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public LlmProvider create(Vertx vertx, JsonObject config) {
    return request -> Future.failedFuture(StageFailure.permanent(CODE,
      "llm.provider is 'none': this engine has no LLM to answer the " + request.task() + " call; configure llm.provider"));
  }
}
