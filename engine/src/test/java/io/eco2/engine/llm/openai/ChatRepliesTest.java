package io.eco2.engine.llm.openai;

import io.eco2.engine.llm.LlmRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** What the provider makes of responses, and what it sends. */
class ChatRepliesTest {

  private static Buffer completion(String content, String finish) {
    return new JsonObject().put("model", "gpt-x").put("choices", new JsonArray().add(new JsonObject()
        .put("message", new JsonObject().put("role", "assistant").put("content", content)).put("finish_reason", finish)))
      .put("usage", new JsonObject().put("prompt_tokens", 120).put("completion_tokens", 30).put("total_tokens", 150))
      .toBuffer();
  }

  @Test
  void aStructuredReplyIsParsedWithItsUsage() {
    ChatReplies.Outcome o = ChatReplies.read(200, MultiMap.caseInsensitiveMultiMap(), completion("{\"a\": 1}", "stop"), "m", "");
    assertThat(o.failure()).isNull();
    assertThat(o.reply().content()).isEqualTo(new JsonObject().put("a", 1));
    assertThat(o.reply().model()).isEqualTo("gpt-x");
    assertThat(o.reply().promptTokens()).isEqualTo(120);
    assertThat(o.reply().completionTokens()).isEqualTo(30);
    assertThat(o.usedTokens()).isEqualTo(150);
    // Local models without structured outputs fence their JSON.
    assertThat(ChatReplies.read(200, MultiMap.caseInsensitiveMultiMap(), completion("```json\n{\"a\": 2}\n```", "stop"), "m", "")
      .reply().content().getInteger("a")).isEqualTo(2);
  }

  @Test
  void malformedOrTruncatedContentIsARetryableInvalidOutputThatStillCountsItsTokens() {
    ChatReplies.Outcome o = ChatReplies.read(200, MultiMap.caseInsensitiveMultiMap(), completion("{\"a\": ", "stop"), "m", "");
    assertThat(o.failure().code()).isEqualTo("INVALID_LLM_OUTPUT");
    assertThat(o.failure().retryable()).isTrue();
    assertThat(o.usedTokens()).isEqualTo(150);
    assertThat(ChatReplies.read(200, MultiMap.caseInsensitiveMultiMap(), completion("{}", "length"), "m", "").failure().getMessage())
      .contains("llm.max-output-tokens");
    assertThat(ChatReplies.read(200, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer("<html>"), "m", "").failure().code())
      .isEqualTo("INVALID_LLM_OUTPUT");
  }

  @Test
  void statusesMapToCodesAndRetryAfterIsRead() {
    MultiMap h = MultiMap.caseInsensitiveMultiMap().add("Retry-After", "3");
    ChatReplies.Outcome limited = ChatReplies.read(429, h, Buffer.buffer("{\"error\":{\"message\":\"Rate limit reached\"}}"), "m", "");
    assertThat(limited.failure().code()).isEqualTo("LLM_RATE_LIMITED");
    assertThat(limited.failure().retryable()).isTrue();
    assertThat(limited.failure().retryAfter()).isEqualTo(Duration.ofSeconds(3));
    assertThat(limited.usedTokens()).isZero();
    assertThat(ChatReplies.retryAfter(MultiMap.caseInsensitiveMultiMap().add("retry-after-ms", "250").add("Retry-After", "9")))
      .isEqualTo(Duration.ofMillis(250));

    assertThat(ChatReplies.read(503, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer("busy"), "m", "").failure().code()).isEqualTo("LLM_UNAVAILABLE");
    ChatReplies.Outcome rejected = ChatReplies.read(400, MultiMap.caseInsensitiveMultiMap(),
      Buffer.buffer("{\"error\":{\"message\":\"Invalid image URL\"}}"), "m", "");
    assertThat(rejected.failure().code()).isEqualTo("LLM_REQUEST_REJECTED");
    assertThat(rejected.failure().retryable()).isFalse();
    assertThat(rejected.failure().getMessage()).contains("HTTP 400").contains("Invalid image URL");
  }

  @Test
  void aProviderMessageEchoingTheKeyIsMasked() {
    String key = "sk-test-DISTINCTIVE-0123456789";
    ChatReplies.Outcome o = ChatReplies.read(401, MultiMap.caseInsensitiveMultiMap(),
      Buffer.buffer("{\"error\":{\"message\":\"Incorrect API key provided: " + key + ".\"}}"), "m", key);
    assertThat(o.failure().getMessage()).doesNotContain(key).contains("***");
  }

  @Test
  void visionSendsALowDetailImagePartAndStrictOnlyForStrictSchemas() {
    JsonObject strict = new JsonObject().put("type", "object").put("additionalProperties", false)
      .put("required", new JsonArray().add("a")).put("properties", new JsonObject().put("a", new JsonObject().put("type", "string")));
    LlmRequest vision = new LlmRequest("vision").setSystemPrompt("sys").setUserPrompt("classify")
      .setImageUrl("https://img/x.jpg").setResponseSchema(strict);
    JsonObject body = OpenAiProvider.bodyOf(vision, "gpt-x", 512);
    assertThat(body.getString("model")).isEqualTo("gpt-x");
    assertThat(body.getInteger("max_completion_tokens")).isEqualTo(512);
    JsonArray messages = body.getJsonArray("messages");
    assertThat(messages.getJsonObject(0).getString("role")).isEqualTo("system");
    JsonArray parts = messages.getJsonObject(1).getJsonArray("content");
    assertThat(parts.getJsonObject(0).getString("text")).isEqualTo("classify");
    assertThat(parts.getJsonObject(1).getJsonObject("image_url"))
      .isEqualTo(new JsonObject().put("url", "https://img/x.jpg").put("detail", "low"));
    JsonObject format = body.getJsonObject("response_format");
    assertThat(format.getString("type")).isEqualTo("json_schema");
    assertThat(format.getJsonObject("json_schema").getString("name")).isEqualTo("eco2_vision");
    assertThat(format.getJsonObject("json_schema").getBoolean("strict")).isTrue();

    JsonObject map = new JsonObject().put("type", "object").put("additionalProperties", false)
      .put("required", new JsonArray().add("steps")).put("properties", new JsonObject()
        .put("steps", new JsonObject().put("type", "object").put("additionalProperties", new JsonObject().put("type", "string"))));
    JsonObject answer = OpenAiProvider.bodyOf(new LlmRequest("answer").setUserPrompt("q").setResponseSchema(map), "gpt-x", 512);
    assertThat(answer.getJsonArray("messages").getJsonObject(0).getString("content")).isEqualTo("q");
    assertThat(answer.getJsonObject("response_format").getJsonObject("json_schema").getBoolean("strict")).isFalse();
  }

  @Test
  void theEstimateCoversPromptImageAndTheWholeOutputAllowance() {
    LlmRequest r = new LlmRequest("vision").setSystemPrompt("가".repeat(300)).setUserPrompt("abc").setImageUrl("u");
    long estimate = ChatRequests.estimateTokens(r, 1000);
    assertThat(estimate).isGreaterThanOrEqualTo(300 + 1 + ChatRequests.LOW_DETAIL_IMAGE_TOKENS + 1000);
  }
}
