package io.eco2.scan.answer;

import io.eco2.engine.llm.LlmProvider;
import io.eco2.engine.llm.LlmRequest;
import io.eco2.engine.stage.Stage;
import io.eco2.engine.stage.StageContext;
import io.eco2.engine.stage.StageFailure;
import io.eco2.engine.stage.StagePolicy;
import io.eco2.scan.EcoPolicies;
import io.eco2.engine.stage.StageSetup;
import io.eco2.scan.data.BundledResources;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * The {@code answer} stage: turns the classification and its disposal rule into steps and an answer to the
 * user's question, with the LLM.
 *
 * <p>Reads {@code classification_result}, {@code disposal_rules} and {@code user_input}; writes
 * {@code final_answer} (CONTRACT §3). When {@code disposal_rules} is null it answers the fixed
 * {@link #noRuleAnswer()} without calling the LLM: there is nothing for a model to ground its answer on,
 * and the call would only cost time and tokens. A malformed reply fails as a retryable
 * {@code INVALID_LLM_OUTPUT}. One instance serves every event loop.
 */
public final class AnswerStage implements Stage {

  /** The stage's name in {@code pipeline.stages}. */
  public static final String NAME = "answer";

  /** The insufficiency reported when no disposal rule matched. */
  public static final String NO_RULE = "no matching disposal rule";

  private static final JsonObject NO_RULE_ANSWER = new JsonObject()
    .put("disposal_steps", new JsonObject().put("단계1",
      "이 품목에 맞는 분리배출 규칙을 찾지 못했어요. 거주지 지자체(시·군·구청) 홈페이지나 생활폐기물 배출 안내에서 배출 방법을 확인해 주세요."))
    .put("insufficiencies", new JsonArray().add(NO_RULE))
    .put("user_answer", "이 품목은 등록된 분리배출 규칙이 없어 정확한 방법을 안내해 드리기 어려워요. "
      + "지역마다 배출 방법이 다르니 거주지 지자체의 안내를 확인해 주세요.");

  private record Prepared(LlmProvider llm, String systemPrompt, String userTemplate, JsonObject schema) {
  }

  private volatile Prepared prepared;

  @Override
  public String name() {
    return NAME;
  }

  /** {@link EcoPolicies#llmCall()}. */
  @Override
  public StagePolicy defaultPolicy() {
    return EcoPolicies.llmCall();
  }

  /** The fixed {@code final_answer} for a job whose classification has no disposal rule (a copy). */
  public static JsonObject noRuleAnswer() {
    return NO_RULE_ANSWER.copy();
  }

  @Override
  public Future<Void> init(StageSetup setup) {
    LlmProvider llm = setup.llm();
    if (llm == null) {
      return Future.failedFuture(new IllegalStateException("stages.answer: no LLM provider configured (llm.provider)"));
    }
    return setup.vertx().executeBlocking(() -> new Prepared(llm,
        BundledResources.text("prompts/answer-system.txt"),
        BundledResources.text("prompts/answer-user.txt"),
        BundledResources.json("schemas/answer-reply.json")))
      .map(p -> {
        prepared = p;
        return null;
      });
  }

  @Override
  public Future<JsonObject> process(StageContext ctx) {
    Prepared p = prepared;
    if (p == null) {
      return Future.failedFuture(new IllegalStateException("stages.answer: process called before init completed"));
    }
    JsonObject job = ctx.job();
    if (!(job.getValue("classification_result") instanceof JsonObject classification)) {
      return Future.failedFuture(StageFailure.permanent("INVALID_INPUT", "classification_result: missing or not an object"));
    }
    Object rulesValue = job.getValue("disposal_rules");
    if (rulesValue == null) {
      return Future.succeededFuture(new JsonObject().put("final_answer", noRuleAnswer()));
    }
    if (!(rulesValue instanceof JsonObject rules)) {
      return Future.failedFuture(StageFailure.permanent("INVALID_INPUT", "disposal_rules: must be an object or null"));
    }
    Object userValue = job.getValue("user_input");
    String userInput = userValue instanceof String s && !s.isBlank() ? s
      : classification.getValue("meta") instanceof JsonObject meta && meta.getValue("user_input") instanceof String u ? u : "";
    LlmRequest request = new LlmRequest(NAME)
      .setModel(job.getValue("model") instanceof String model ? model : null)
      .setSystemPrompt(p.systemPrompt())
      .setUserPrompt(BundledResources.fill(p.userTemplate(), Map.of(
        "classification", classification.encode(), "rules", rules.encode(), "user_input", userInput)))
      .setResponseSchema(p.schema().copy())
      .setInput(new JsonObject()
        .put("classification_result", classification.copy())
        .put("disposal_rules", rules.copy())
        .put("user_input", userInput))
      .setCancelled(ctx.cancelled());
    return p.llm().complete(request)
      .map(reply -> new JsonObject().put("final_answer", AnswerCheck.check(reply.content())));
  }
}
