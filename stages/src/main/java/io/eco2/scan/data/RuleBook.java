package io.eco2.scan.data;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The disposal rules, one per category, and the lookup from a classification to its rule.
 *
 * <p>A rule names a (major, middle) category and optionally a minor one; a lookup prefers the rule for the
 * exact minor category, then the rule for its (major, middle), and finds nothing otherwise. Immutable once
 * loaded: share one instance between event loops. {@link #loadBundled} blocks on class-path reads.
 */
public final class RuleBook {

  /** The index of the bundled rule files: a jar's folders cannot be listed, so the files are named here. */
  public static final String INDEX = "rules/index.json";

  private final Map<Category, JsonObject> rules;

  private RuleBook(Map<Category, JsonObject> rules) {
    this.rules = Collections.unmodifiableMap(rules);
  }

  /**
   * Loads every rule file {@code eco2/rules/index.json} lists, checking each against {@code taxonomy}.
   *
   * @throws IllegalArgumentException naming the file and field of an invalid rule
   */
  public static RuleBook loadBundled(Taxonomy taxonomy) {
    JsonObject index = BundledResources.json(INDEX);
    if (!(index.getValue("rules") instanceof JsonArray files)) {
      throw new IllegalArgumentException(BundledResources.ROOT + INDEX + ".rules: must be an array of file names");
    }
    Map<Category, JsonObject> rules = new LinkedHashMap<>();
    for (int i = 0; i < files.size(); i++) {
      if (!(files.getValue(i) instanceof String file)) {
        throw new IllegalArgumentException(BundledResources.ROOT + INDEX + ".rules[" + i + "]: must be a file name");
      }
      String path = "rules/" + file;
      JsonObject rule = BundledResources.json(path);
      Category category = validate(BundledResources.ROOT + path, rule, taxonomy);
      if (rules.put(category, rule) != null) {
        throw new IllegalArgumentException(BundledResources.ROOT + path + ".category: a second rule for " + category.label());
      }
    }
    return new RuleBook(rules);
  }

  /** The rule for {@code category} (a copy the caller may change), or null when none applies. */
  public JsonObject lookup(Category category) {
    if (category == null || category.middle() == null) {
      return null;
    }
    JsonObject rule = null;
    if (category.minor() != null) {
      rule = rules.get(category);
    }
    if (rule == null) {
      rule = rules.get(new Category(category.major(), category.middle(), null));
    }
    return rule == null ? null : rule.copy();
  }

  /** The categories that have a rule. */
  public List<Category> categories() {
    return List.copyOf(rules.keySet());
  }

  /** How many rules were loaded. */
  public int size() {
    return rules.size();
  }

  private static Category validate(String file, JsonObject rule, Taxonomy taxonomy) {
    requireString(rule, "id", file);
    requireString(rule, "title", file);
    requireString(rule, "source", file);
    requireStrings(rule, "steps", file, 1);
    requireStrings(rule, "cautions", file, 0);
    if (!(rule.getValue("category") instanceof JsonObject cat)) {
      throw new IllegalArgumentException(file + ".category: must be an object {major, middle[, minor]}");
    }
    String major = requireString(cat, "major", file + ".category");
    String middle = requireString(cat, "middle", file + ".category");
    Object minor = cat.getValue("minor");
    if (minor != null && !(minor instanceof String)) {
      throw new IllegalArgumentException(file + ".category.minor: must be a string when present");
    }
    if (!taxonomy.contains(major, middle)) {
      throw new IllegalArgumentException(file + ".category: " + major + " > " + middle + " is not in the taxonomy");
    }
    if (minor != null && !taxonomy.minors(major, middle).contains(minor)) {
      throw new IllegalArgumentException(file + ".category.minor: " + minor + " is not listed under " + major + " > " + middle);
    }
    return new Category(major, middle, (String) minor);
  }

  private static String requireString(JsonObject json, String key, String at) {
    if (!(json.getValue(key) instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException(at + "." + key + ": must be a non-empty string");
    }
    return s;
  }

  private static void requireStrings(JsonObject json, String key, String at, int min) {
    if (!(json.getValue(key) instanceof JsonArray a) || a.size() < min
        || a.stream().anyMatch(v -> !(v instanceof String s) || s.isBlank())) {
      throw new IllegalArgumentException(at + "." + key + ": must be an array of at least " + min + " non-empty strings");
    }
  }
}
