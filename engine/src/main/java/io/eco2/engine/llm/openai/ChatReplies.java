package io.eco2.engine.llm.openai;

import io.eco2.engine.llm.LlmReply;
import io.eco2.engine.stage.StageFailure;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Turns a Chat Completions response into an {@link LlmReply} or a {@link StageFailure} whose code says what
 * went wrong, the way the OpenAI SDKs classify them:
 * <ul>
 *   <li>429 → retryable {@value #RATE_LIMITED}, with the response's {@code retry-after-ms} /
 *   {@code Retry-After} as {@link StageFailure#retryAfter()};</li>
 *   <li>408, 409, 5xx → retryable {@value #UNAVAILABLE};</li>
 *   <li>any other 4xx → permanent {@value #REJECTED} with the provider's own message;</li>
 *   <li>200 whose content is not a JSON object, or was cut at the token limit → retryable
 *   {@code INVALID_LLM_OUTPUT}; a refusal → permanent {@value #REFUSED}.</li>
 * </ul>
 */
final class ChatReplies {

  static final String RATE_LIMITED = "LLM_RATE_LIMITED";
  static final String UNAVAILABLE = "LLM_UNAVAILABLE";
  static final String REJECTED = "LLM_REQUEST_REJECTED";
  static final String INVALID_OUTPUT = "INVALID_LLM_OUTPUT";
  static final String REFUSED = "LLM_REFUSED";

  // Enough of a provider's error text to act on, not enough to flood an event.
  private static final int MAX_MESSAGE = 300;

  /**
   * What one response means.
   *
   * @param reply the reply, or null on failure
   * @param failure the failure, or null on success
   * @param usedTokens the tokens the provider counted (its {@code usage}), 0 when it refused the request,
   *                   -1 when unknown
   */
  record Outcome(LlmReply reply, StageFailure failure, long usedTokens) {
  }

  private ChatReplies() {
  }

  static Outcome read(int status, MultiMap headers, Buffer body, String model, String apiKey) {
    if (status == 200) {
      return success(body, model);
    }
    String message = "llm: HTTP " + status + " from the provider: " + errorMessage(body, apiKey);
    if (status == 429) {
      return new Outcome(null, StageFailure.retryable(RATE_LIMITED, message).withRetryAfter(retryAfter(headers)), 0);
    }
    if (status == 408 || status == 409 || status >= 500) {
      return new Outcome(null, StageFailure.retryable(UNAVAILABLE, message), 0);
    }
    return new Outcome(null, StageFailure.permanent(REJECTED, message), 0);
  }

  private static Outcome success(Buffer body, String requestedModel) {
    JsonObject json;
    try {
      json = new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      return invalid("the response is not a JSON object", -1);
    }
    JsonObject usage = json.getValue("usage") instanceof JsonObject u ? u : new JsonObject();
    int prompt = intOf(usage.getValue("prompt_tokens"));
    int completion = intOf(usage.getValue("completion_tokens"));
    long used = usage.isEmpty() ? -1 : Math.max(prompt + completion, intOf(usage.getValue("total_tokens")));
    JsonArray choices = json.getValue("choices") instanceof JsonArray a ? a : null;
    JsonObject choice = choices != null && !choices.isEmpty() && choices.getValue(0) instanceof JsonObject c ? c : null;
    JsonObject message = choice != null && choice.getValue("message") instanceof JsonObject m ? m : null;
    if (message == null) {
      return invalid("the response has no choices[0].message", used);
    }
    if (message.getValue("refusal") instanceof String refusal && !refusal.isBlank()) {
      return new Outcome(null, StageFailure.permanent(REFUSED, "llm: the model refused: " + truncate(refusal)), used);
    }
    if ("length".equals(choice.getValue("finish_reason"))) {
      return invalid("the reply was cut at the token limit (llm.max-output-tokens)", used);
    }
    if (!(message.getValue("content") instanceof String content)) {
      return invalid("choices[0].message.content is not a string", used);
    }
    JsonObject parsed;
    try {
      parsed = new JsonObject(unfence(content));
    } catch (DecodeException | ClassCastException e) {
      return invalid("choices[0].message.content is not a JSON object", used);
    }
    String model = json.getValue("model") instanceof String m && !m.isBlank() ? m : requestedModel;
    return new Outcome(new LlmReply(parsed, model, prompt, completion), null, used);
  }

  private static Outcome invalid(String why, long used) {
    return new Outcome(null, StageFailure.retryable(INVALID_OUTPUT, "llm: " + why), used);
  }

  // Models without structured outputs (some local ones) wrap JSON in a Markdown fence.
  static String unfence(String content) {
    String s = content.strip();
    if (s.startsWith("```")) {
      int nl = s.indexOf('\n');
      int end = s.lastIndexOf("```");
      if (nl > 0 && end > nl) {
        return s.substring(nl + 1, end).strip();
      }
    }
    return s;
  }

  /**
   * The delay a 429 asks for: OpenAI's {@code retry-after-ms}, else {@code Retry-After} in seconds or as an
   * HTTP date; zero when absent or unreadable.
   */
  static Duration retryAfter(MultiMap headers) {
    String ms = headers.get("retry-after-ms");
    if (ms != null) {
      try {
        return Duration.ofMillis(Math.max(0, Math.round(Double.parseDouble(ms.strip()))));
      } catch (NumberFormatException ignored) {
        // fall through to Retry-After
      }
    }
    String ra = headers.get("Retry-After");
    if (ra == null) {
      return Duration.ZERO;
    }
    try {
      return Duration.ofMillis(Math.max(0, Math.round(Double.parseDouble(ra.strip()) * 1000)));
    } catch (NumberFormatException e) {
      try {
        Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(ra.strip(), DateTimeFormatter.RFC_1123_DATE_TIME));
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException e2) {
        return Duration.ZERO;
      }
    }
  }

  /** OpenAI's {@code error.message}, else the start of the body; the key masked before anything is cut. */
  static String errorMessage(Buffer body, String apiKey) {
    if (body == null || body.length() == 0) {
      return "(no body)";
    }
    try {
      JsonObject json = new JsonObject(body);
      if (json.getValue("error") instanceof JsonObject err && err.getValue("message") instanceof String m) {
        return truncate(redact(m, apiKey));
      }
      if (json.getValue("error") instanceof String m) {
        return truncate(redact(m, apiKey));
      }
    } catch (DecodeException | ClassCastException ignored) {
      // not JSON: show the text
    }
    return truncate(redact(body.toString(), apiKey));
  }

  /** {@code text} with every occurrence of the API key masked: some servers echo the key they refused. */
  static String redact(String text, String apiKey) {
    return apiKey == null || apiKey.isEmpty() || text == null ? text : text.replace(apiKey, "***");
  }

  private static String truncate(String s) {
    String one = s.replaceAll("\\s+", " ").strip();
    return one.length() > MAX_MESSAGE ? one.substring(0, MAX_MESSAGE - 3) + "..." : one;
  }

  private static int intOf(Object v) {
    return v instanceof Number n ? (int) Math.max(0, Math.min(Integer.MAX_VALUE, n.longValue())) : 0;
  }
}
