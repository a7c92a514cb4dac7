package io.eco2.engine.llm.openai;

import io.eco2.engine.llm.LlmRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;

/**
 * Builds the Chat Completions body of an {@link LlmRequest} and estimates what it will cost in tokens.
 *
 * <p>Vision calls send the image as an {@code image_url} content part with {@code detail: "low"} (a fixed,
 * small token cost; a waste photo needs no high resolution). The reply format is the request's JSON schema
 * as {@code response_format: json_schema}, {@code strict} only when the schema satisfies strict mode's
 * rules (see {@link StrictSchemas}), since a server in strict mode rejects any other schema with a 400.
 */
final class ChatRequests {

  /** OpenAI's fixed cost of one {@code detail: "low"} image. */
  static final int LOW_DETAIL_IMAGE_TOKENS = 85;
  // Per-message framing tokens (role, separators), rounded up.
  private static final int MESSAGE_OVERHEAD_TOKENS = 8;

  private ChatRequests() {
  }

  static JsonObject body(LlmRequest request, String model, int maxOutputTokens) {
    JsonArray messages = new JsonArray();
    if (!request.systemPrompt().isEmpty()) {
      messages.add(new JsonObject().put("role", "system").put("content", request.systemPrompt()));
    }
    if (request.imageUrl() != null) {
      messages.add(new JsonObject().put("role", "user").put("content", new JsonArray()
        .add(new JsonObject().put("type", "text").put("text", request.userPrompt()))
        .add(new JsonObject().put("type", "image_url").put("image_url",
          new JsonObject().put("url", request.imageUrl()).put("detail", "low")))));
    } else {
      messages.add(new JsonObject().put("role", "user").put("content", request.userPrompt()));
    }
    JsonObject body = new JsonObject().put("model", model).put("messages", messages)
      .put("max_completion_tokens", maxOutputTokens);
    if (request.responseSchema() != null) {
      body.put("response_format", new JsonObject().put("type", "json_schema").put("json_schema", new JsonObject()
        .put("name", schemaName(request.task()))
        .put("schema", request.responseSchema())
        .put("strict", StrictSchemas.compatible(request.responseSchema()))));
    }
    return body;
  }

  /**
   * The tokens to reserve before the call: the prompt's UTF-8 bytes / 3 (one token per Hangul syllable,
   * a generous count for English), the image, the framing, and the whole output allowance. An overestimate
   * on purpose: the reservation is corrected from {@code usage} after the call, and OpenAI itself counts
   * {@code max_completion_tokens} against the quota when the request arrives.
   */
  static long estimateTokens(LlmRequest request, int maxOutputTokens) {
    long bytes = utf8(request.systemPrompt()) + utf8(request.userPrompt());
    long tokens = (bytes + 2) / 3 + 2L * MESSAGE_OVERHEAD_TOKENS + maxOutputTokens;
    return request.imageUrl() != null ? tokens + LOW_DETAIL_IMAGE_TOKENS : tokens;
  }

  // Schema names must match ^[a-zA-Z0-9_-]{1,64}$.
  private static String schemaName(String task) {
    String clean = task.replaceAll("[^a-zA-Z0-9_-]", "_");
    String name = "eco2_" + clean;
    return name.length() > 64 ? name.substring(0, 64) : name;
  }

  private static long utf8(String s) {
    return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
  }
}
