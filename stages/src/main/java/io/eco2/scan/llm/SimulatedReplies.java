package io.eco2.scan.llm;

import io.eco2.engine.llm.LlmRequest;
import io.eco2.engine.stage.StageFailure;
import io.eco2.scan.data.Category;
import io.eco2.scan.data.Taxonomy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;

/**
 * The replies a simulated model gives: a function of the request alone, so the same image URL is always
 * classified the same way and the same classification and rules always get the same answer.
 *
 * <p>Vision: a word of the URL's path that is a taxonomy keyword ("bottle", "can", "box", ...) decides the
 * category, the first such word from the left winning; without one, the SHA-256 of the URL picks a taxonomy
 * leaf. The situation tags always come from the hash. Stateless apart from the immutable taxonomy.
 */
public final class SimulatedReplies {

  static final String DEFAULT_USER_INPUT = io.eco2.scan.EcoDefaults.USER_INPUT;

  private final Taxonomy taxonomy;

  public SimulatedReplies(Taxonomy taxonomy) {
    this.taxonomy = taxonomy;
  }

  /**
   * The {@code classification_result} for the request's image.
   *
   * @throws StageFailure INVALID_INPUT when the request has no image URL
   */
  public JsonObject vision(LlmRequest request) {
    String url = request.imageUrl() != null ? request.imageUrl() : request.input().getString("image_url");
    if (url == null || url.isBlank()) {
      throw StageFailure.permanent("INVALID_INPUT", "imageUrl: a vision request needs an image URL");
    }
    byte[] hash = sha256(url);
    Category category = byKeyword(url);
    if (category == null) {
      List<Category> leaves = taxonomy.leaves();
      category = leaves.get((int) (Integer.toUnsignedLong(intAt(hash, 0)) % leaves.size()));
    }
    List<Taxonomy.SituationTag> all = taxonomy.situationTags();
    JsonArray tags = new JsonArray();
    int count = all.isEmpty() ? 0 : (hash[4] & 0xff) % 3;
    for (int i = 0; i < count; i++) {
      String tag = all.get((hash[5 + i] & 0xff) % all.size()).tag();
      if (!tags.contains(tag)) {
        tags.add(tag);
      }
    }
    return new JsonObject()
      .put("classification", category.toClassification())
      .put("situation_tags", tags)
      .put("meta", new JsonObject().put("user_input", request.input().getString("user_input", DEFAULT_USER_INPUT)));
  }

  /**
   * The {@code final_answer} for the classification, rules and user input in {@code request.input()}.
   *
   * @throws StageFailure INVALID_INPUT when the input has no classification
   */
  public JsonObject answer(LlmRequest request) {
    JsonObject input = request.input();
    JsonObject result = input.getValue("classification_result") instanceof JsonObject o ? o : null;
    Category category = result == null ? null : Category.fromClassification(result.getJsonObject("classification"));
    if (category == null) {
      throw StageFailure.permanent("INVALID_INPUT", "input.classification_result.classification.major_category: missing");
    }
    JsonObject rules = input.getValue("disposal_rules") instanceof JsonObject r ? r : null;
    String item = category.minor() != null ? category.minor() : category.middle() != null ? category.middle() : category.major();
    JsonObject steps = new JsonObject();
    JsonArray insufficiencies = new JsonArray();
    if (rules == null) {
      steps.put("단계1", "거주지 지자체(시·군·구청)의 생활폐기물 배출 안내를 확인해 주세요.");
      insufficiencies.add("no matching disposal rule");
    } else {
      JsonArray ruleSteps = rules.getJsonArray("steps", new JsonArray());
      for (int i = 0; i < ruleSteps.size(); i++) {
        steps.put("단계" + (i + 1), String.valueOf(ruleSteps.getValue(i)));
      }
    }
    for (Object tag : result.getJsonArray("situation_tags", new JsonArray())) {
      Taxonomy.SituationTag known = tag instanceof String t ? taxonomy.situationTag(t) : null;
      if (known != null && known.insufficiency() != null) {
        insufficiencies.add(known.insufficiency());
      }
    }
    StringBuilder answer = new StringBuilder(item).append(topic(item)).append(' ');
    if (rules == null) {
      answer.append("지역마다 배출 방법이 달라 정해진 규칙을 찾지 못했어요. 지자체 안내를 확인해 주세요.");
    } else {
      answer.append('\'').append(rules.getString("title", category.label())).append("' 방법으로 ")
        .append(steps.size()).append("단계에 걸쳐 배출하면 돼요.");
      JsonArray cautions = rules.getJsonArray("cautions", new JsonArray());
      if (!cautions.isEmpty()) {
        answer.append(" 주의: ").append(cautions.getValue(0));
      }
    }
    if (rules != null && !insufficiencies.isEmpty()) {
      answer.append(" 다만 지금 상태로는 바로 배출하기 어려워요: ").append(insufficiencies.getValue(0));
    }
    return new JsonObject()
      .put("disposal_steps", steps)
      .put("insufficiencies", insufficiencies)
      .put("user_answer", answer.toString());
  }

  /** The taxonomy leaf the first keyword in the URL's path names, or null. */
  Category byKeyword(String url) {
    String path;
    try {
      URI uri = URI.create(url.trim());
      path = uri.getRawPath() != null ? uri.getRawPath() : url;
    } catch (IllegalArgumentException e) {
      path = url;
    }
    for (String word : path.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
      if (word.isEmpty()) {
        continue;
      }
      Category hit = taxonomy.byKeyword(word);
      // Plurals: "bottles", "cans", "boxes".
      if (hit == null && word.endsWith("es")) {
        hit = taxonomy.byKeyword(word.substring(0, word.length() - 2));
      }
      if (hit == null && word.endsWith("s")) {
        hit = taxonomy.byKeyword(word.substring(0, word.length() - 1));
      }
      if (hit != null) {
        return hit;
      }
    }
    return null;
  }

  // Korean topic particle: 은 after a final consonant, 는 after a vowel or a non-Hangul character.
  private static String topic(String word) {
    char last = word.charAt(word.length() - 1);
    boolean batchim = last >= 0xAC00 && last <= 0xD7A3 && (last - 0xAC00) % 28 != 0;
    return batchim ? "은" : "는";
  }

  private static byte[] sha256(String s) {
    try {
      // A new digest per call: MessageDigest is not thread-safe and this runs on many event loops.
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  private static int intAt(byte[] b, int i) {
    return (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
  }

  /** Rough token count (four characters a token), at least 1 for non-empty text. */
  static int tokens(String text) {
    return text == null || text.isEmpty() ? 0 : Math.max(1, (text.length() + 3) / 4);
  }
}
