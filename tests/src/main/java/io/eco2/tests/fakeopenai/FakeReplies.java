package io.eco2.tests.fakeopenai;

import io.eco2.engine.llm.LlmRequest;
import io.eco2.scan.data.Taxonomy;
import io.eco2.scan.llm.SimulatedReplies;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Plausible model output for the engine's two prompts, read back from a Chat Completions body: a vision
 * request (it has an {@code image_url} part) is classified into the bundled taxonomy, an answer request
 * gets steps from the rules in its prompt. The replies come from the simulated provider's
 * {@link SimulatedReplies}, so they pass the stages' validation.
 */
final class FakeReplies {

  // Lines of the bundled user prompts (stages/src/main/resources/eco2/prompts/*-user.txt).
  private static final String QUESTION = "사용자 질문: ";
  private static final String CLASSIFICATION = "분류 결과: ";
  private static final String RULES = "배출 규칙: ";

  private final SimulatedReplies replies = new SimulatedReplies(Taxonomy.bundled());

  /** The task a body asks for: {@code vision} when it carries an image, else {@code answer}. */
  static String task(JsonObject body) {
    return imageUrl(body) != null ? "vision" : "answer";
  }

  /** The reply content, or null when the prompt cannot be read (the server answers 400). */
  JsonObject reply(JsonObject body) {
    String image = imageUrl(body);
    String text = userText(body);
    String question = line(text, QUESTION);
    try {
      if (image != null) {
        return replies.vision(new LlmRequest("vision").setImageUrl(image)
          .setInput(new JsonObject().put("image_url", image).put("user_input", question == null ? "" : question)));
      }
      String classification = line(text, CLASSIFICATION);
      String rules = line(text, RULES);
      if (classification == null) {
        return null;
      }
      JsonObject input = new JsonObject().put("classification_result", new JsonObject(classification))
        .put("user_input", question == null ? "" : question);
      if (rules != null && !rules.equals("null")) {
        input.put("disposal_rules", new JsonObject(rules));
      }
      return replies.answer(new LlmRequest("answer").setInput(input));
    } catch (DecodeException | ClassCastException | IllegalArgumentException e) {
      return null;
    }
  }

  static String imageUrl(JsonObject body) {
    for (Object m : body.getJsonArray("messages", new JsonArray())) {
      if (m instanceof JsonObject msg && msg.getValue("content") instanceof JsonArray parts) {
        for (Object p : parts) {
          if (p instanceof JsonObject part && "image_url".equals(part.getString("type"))
              && part.getValue("image_url") instanceof JsonObject iu) {
            return iu.getString("url");
          }
        }
      }
    }
    return null;
  }

  static String userText(JsonObject body) {
    StringBuilder sb = new StringBuilder();
    for (Object m : body.getJsonArray("messages", new JsonArray())) {
      if (m instanceof JsonObject msg && "user".equals(msg.getString("role"))) {
        Object c = msg.getValue("content");
        if (c instanceof String s) {
          sb.append(s).append('\n');
        } else if (c instanceof JsonArray parts) {
          for (Object p : parts) {
            if (p instanceof JsonObject part && "text".equals(part.getString("type"))) {
              sb.append(part.getString("text", "")).append('\n');
            }
          }
        }
      }
    }
    return sb.toString();
  }

  private static String line(String text, String prefix) {
    for (String l : text.split("\n")) {
      if (l.startsWith(prefix)) {
        return l.substring(prefix.length()).strip();
      }
    }
    return null;
  }
}
