package io.eco2.scan.data;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * One classification leaf: a major category, a middle category (null when unknown) and a minor one
 * (null when the item is not more specific than its middle category).
 *
 * @param major the major category, never null
 * @param middle the middle category or null
 * @param minor the minor category or null
 */
public record Category(String major, String middle, String minor) {

  public Category {
    Objects.requireNonNull(major, "major");
  }

  /** The {@code classification} object of CONTRACT §3. */
  public JsonObject toClassification() {
    return new JsonObject()
      .put("major_category", major)
      .put("middle_category", middle)
      .put("minor_category", minor);
  }

  /** The category named by a {@code classification} object, or null when it has no string major category. */
  public static Category fromClassification(JsonObject classification) {
    if (classification == null || !(classification.getValue("major_category") instanceof String major)) {
      return null;
    }
    Object middle = classification.getValue("middle_category");
    Object minor = classification.getValue("minor_category");
    return new Category(major, middle instanceof String s ? s : null, minor instanceof String s ? s : null);
  }

  /** "major > middle > minor", leaving out what is null. */
  public String label() {
    StringBuilder sb = new StringBuilder(major);
    if (middle != null) {
      sb.append(" > ").append(middle);
    }
    if (minor != null) {
      sb.append(" > ").append(minor);
    }
    return sb.toString();
  }
}
