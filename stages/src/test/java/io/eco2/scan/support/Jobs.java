package io.eco2.scan.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Job data as the stages hand it on, built in one line. */
public final class Jobs {

  private Jobs() {
  }

  public static JsonObject classificationResult(String major, String middle, String minor, String... tags) {
    return new JsonObject()
      .put("classification", new JsonObject()
        .put("major_category", major).put("middle_category", middle).put("minor_category", minor))
      .put("situation_tags", new JsonArray(java.util.List.of((Object[]) tags)))
      .put("meta", new JsonObject().put("user_input", "어떻게 버려요?"));
  }

  public static JsonObject classified(String major, String middle, String minor) {
    return new JsonObject()
      .put("image_url", "https://cdn.example.com/x.jpg")
      .put("user_input", "어떻게 버려요?")
      .put("classification_result", classificationResult(major, middle, minor));
  }

  public static JsonObject answer(String... insufficiencies) {
    return new JsonObject()
      .put("disposal_steps", new JsonObject().put("단계1", "비우기"))
      .put("insufficiencies", new JsonArray(java.util.List.of((Object[]) insufficiencies)))
      .put("user_answer", "이렇게 버리세요.");
  }
}
