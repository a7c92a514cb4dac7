package io.eco2.scan.vision;

import io.eco2.engine.stage.StageFailure;
import io.eco2.scan.data.Taxonomy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Checks a vision reply against the taxonomy and turns it into the {@code classification_result} of
 * CONTRACT §3.
 *
 * <p>Two kinds of miss, handled differently. A reply without the expected shape (no classification object,
 * a category that is not a string, tags that are not strings) fails as a retryable
 * {@code INVALID_LLM_OUTPUT} naming the field: a model that garbles its output once often answers correctly
 * the next time. A reply of the right shape whose major or middle category is not in the taxonomy fails as
 * an {@link OffTaxonomyReply} carrying the reply, so that {@link VisionStage} can ask again, map it, or go
 * on degraded.
 */
public final class ClassificationCheck {

  /** The failure code of a reply that does not have the expected shape. */
  public static final String INVALID_LLM_OUTPUT = "INVALID_LLM_OUTPUT";

  private final Taxonomy taxonomy;

  public ClassificationCheck(Taxonomy taxonomy) {
    this.taxonomy = taxonomy;
  }

  /**
   * The normalised {@code classification_result}: the reply's classification and tags, and
   * {@code meta.user_input} from the job rather than from the model.
   *
   * @throws StageFailure INVALID_LLM_OUTPUT naming the field at fault
   * @throws OffTaxonomyReply when the shape is right but a category is not in the taxonomy
   */
  public JsonObject check(JsonObject reply, String userInput) {
    if (reply == null) {
      throw invalid("reply: empty");
    }
    if (!(reply.getValue("classification") instanceof JsonObject classification)) {
      throw invalid("classification: must be an object");
    }
    if (!(classification.getValue("major_category") instanceof String major) || major.isBlank()) {
      throw invalid("classification.major_category: must be a non-empty string, got " + brief(classification.getValue("major_category")));
    }
    Object middle = blankToNull(classification.getValue("middle_category"));
    if (middle != null && !(middle instanceof String)) {
      throw invalid("classification.middle_category: must be a string or null, got " + brief(middle));
    }
    Object minor = blankToNull(classification.getValue("minor_category"));
    if (minor != null && !(minor instanceof String)) {
      throw invalid("classification.minor_category: must be a string or null, got " + brief(minor));
    }
    if (!(reply.getValue("situation_tags") instanceof JsonArray tags) || tags.stream().anyMatch(t -> !(t instanceof String))) {
      throw invalid("situation_tags: must be an array of strings, got " + brief(reply.getValue("situation_tags")));
    }
    JsonObject result = result(major, (String) middle, (String) minor, tags, userInput);
    if (!taxonomy.contains(major, null)) {
      throw new OffTaxonomyReply("vision reply classification.major_category: must be one of " + taxonomy.majors()
        + ", got " + brief(major), result);
    }
    if (middle != null && !taxonomy.contains(major, (String) middle)) {
      throw new OffTaxonomyReply("vision reply classification.middle_category: must be null or one of "
        + taxonomy.middles(major) + " (the middle categories of " + major + "), got " + brief(middle), result);
    }
    return result;
  }

  /** A {@code classification_result} with the given fields (tags copied). */
  static JsonObject result(String major, String middle, String minor, JsonArray tags, String userInput) {
    return new JsonObject()
      .put("classification", new JsonObject()
        .put("major_category", major)
        .put("middle_category", middle)
        .put("minor_category", minor))
      .put("situation_tags", tags.copy())
      .put("meta", new JsonObject().put("user_input", userInput));
  }

  private static Object blankToNull(Object v) {
    return v instanceof String s && s.isBlank() ? null : v;
  }

  static String brief(Object v) {
    String s = v == null ? "null" : v instanceof String str ? "\"" + str + "\"" : String.valueOf(v);
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }

  private static StageFailure invalid(String message) {
    return StageFailure.retryable(INVALID_LLM_OUTPUT, "vision reply " + message);
  }
}
