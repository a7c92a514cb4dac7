package io.eco2.scan.answer;

import io.eco2.engine.stage.StageFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.regex.Pattern;

/**
 * Checks an answer reply against the {@code final_answer} shape of CONTRACT §3. A reply that does not fit
 * fails as a retryable {@code INVALID_LLM_OUTPUT} naming the field at fault.
 */
public final class AnswerCheck {

  /** The failure code of a reply that does not have the expected shape. */
  public static final String INVALID_LLM_OUTPUT = "INVALID_LLM_OUTPUT";

  private static final Pattern STEP_KEY = Pattern.compile("단계[1-9][0-9]*");

  private AnswerCheck() {
  }

  /**
   * A copy of the reply holding only the contract's fields.
   *
   * @throws StageFailure INVALID_LLM_OUTPUT naming the field at fault
   */
  public static JsonObject check(JsonObject reply) {
    if (reply == null) {
      throw invalid("reply: empty");
    }
    if (!(reply.getValue("disposal_steps") instanceof JsonObject steps) || steps.isEmpty()) {
      throw invalid("disposal_steps: must be a non-empty object {\"단계1\": string, ...}");
    }
    for (String key : steps.fieldNames()) {
      if (!STEP_KEY.matcher(key).matches()) {
        throw invalid("disposal_steps." + key + ": keys must be 단계1, 단계2, ...");
      }
      if (!(steps.getValue(key) instanceof String s) || s.isBlank()) {
        throw invalid("disposal_steps." + key + ": must be a non-empty string");
      }
    }
    if (!(reply.getValue("insufficiencies") instanceof JsonArray insufficiencies)
        || insufficiencies.stream().anyMatch(v -> !(v instanceof String))) {
      throw invalid("insufficiencies: must be an array of strings");
    }
    if (!(reply.getValue("user_answer") instanceof String answer) || answer.isBlank()) {
      throw invalid("user_answer: must be a non-empty string");
    }
    return new JsonObject()
      .put("disposal_steps", steps.copy())
      .put("insufficiencies", insufficiencies.copy())
      .put("user_answer", answer);
  }

  private static StageFailure invalid(String message) {
    return StageFailure.retryable(INVALID_LLM_OUTPUT, "answer reply " + message);
  }
}
