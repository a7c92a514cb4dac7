package io.eco2.engine.llm;

import io.vertx.core.json.JsonObject;

/**
 * A parsed LLM reply: the JSON object the model produced and the tokens the call used.
 *
 * @param content the reply, already parsed as a JSON object
 * @param model the model that answered
 * @param promptTokens prompt tokens used (0 when unknown)
 * @param completionTokens completion tokens used (0 when unknown)
 */
public record LlmReply(JsonObject content, String model, int promptTokens, int completionTokens) {
}
