package io.eco2.scan.data;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The waste classification the pipeline speaks: major → middle → minor categories, the keywords that hint
 * at each, and the situation tags a classification may carry.
 *
 * <p>Immutable once built, so one instance is shared by every event loop. {@link #bundled()} is the copy in
 * {@code eco2/taxonomy.json}.
 */
public final class Taxonomy {

  /**
   * A situation tag and, when the situation prevents correct disposal, what the user must fix.
   *
   * @param tag the tag as it appears in {@code situation_tags}
   * @param insufficiency the sentence to report, or null when the situation is harmless
   */
  public record SituationTag(String tag, String insufficiency) {
  }

  private static final class Bundled {
    static final Taxonomy INSTANCE = parse("taxonomy.json", BundledResources.json("taxonomy.json"));
  }

  private final Map<String, Map<String, List<String>>> tree;
  private final List<Category> leaves;
  private final Map<String, Category> keywords;
  private final Map<String, SituationTag> tags;

  private Taxonomy(Map<String, Map<String, List<String>>> tree, List<Category> leaves,
                   Map<String, Category> keywords, Map<String, SituationTag> tags) {
    this.tree = tree;
    this.leaves = List.copyOf(leaves);
    this.keywords = Collections.unmodifiableMap(keywords);
    this.tags = Collections.unmodifiableMap(tags);
  }

  /** The bundled taxonomy; the first call reads the class path (blocking), later calls do not. */
  public static Taxonomy bundled() {
    return Bundled.INSTANCE;
  }

  /**
   * Builds a taxonomy from its JSON form.
   *
   * @param source what to name in error messages (a file name)
   * @throws IllegalArgumentException naming the field at fault
   */
  public static Taxonomy parse(String source, JsonObject json) {
    Map<String, Map<String, List<String>>> tree = new LinkedHashMap<>();
    List<Category> leaves = new ArrayList<>();
    Map<String, Category> keywords = new LinkedHashMap<>();
    JsonArray categories = array(json, "categories", source);
    for (int i = 0; i < categories.size(); i++) {
      String at = source + ": categories[" + i + "]";
      JsonObject major = object(categories.getValue(i), at);
      String majorName = string(major, "major", at);
      Map<String, List<String>> middles = new LinkedHashMap<>();
      if (tree.put(majorName, middles) != null) {
        throw new IllegalArgumentException(at + ".major: duplicate category " + majorName);
      }
      JsonArray middleArray = array(major, "middles", at);
      for (int j = 0; j < middleArray.size(); j++) {
        String mat = at + ".middles[" + j + "]";
        JsonObject middle = object(middleArray.getValue(j), mat);
        String middleName = string(middle, "middle", mat);
        List<String> minors = new ArrayList<>();
        if (middles.put(middleName, minors) != null) {
          throw new IllegalArgumentException(mat + ".middle: duplicate category " + middleName);
        }
        Category middleLeaf = new Category(majorName, middleName, null);
        leaves.add(middleLeaf);
        // Middle keywords first, so that a minor's more specific keyword overrides a shared one.
        addKeywords(keywords, middle, middleLeaf, mat);
        JsonArray minorArray = middle.getJsonArray("minors", new JsonArray());
        for (int k = 0; k < minorArray.size(); k++) {
          String nat = mat + ".minors[" + k + "]";
          JsonObject minor = object(minorArray.getValue(k), nat);
          String minorName = string(minor, "minor", nat);
          minors.add(minorName);
          Category minorLeaf = new Category(majorName, middleName, minorName);
          leaves.add(minorLeaf);
          addKeywords(keywords, minor, minorLeaf, nat);
        }
      }
    }
    if (tree.isEmpty()) {
      throw new IllegalArgumentException(source + ": categories: must not be empty");
    }
    Map<String, SituationTag> tags = new LinkedHashMap<>();
    JsonArray tagArray = array(json, "situation_tags", source);
    for (int i = 0; i < tagArray.size(); i++) {
      String at = source + ": situation_tags[" + i + "]";
      JsonObject tag = object(tagArray.getValue(i), at);
      String name = string(tag, "tag", at);
      Object insufficiency = tag.getValue("insufficiency");
      if (insufficiency != null && !(insufficiency instanceof String)) {
        throw new IllegalArgumentException(at + ".insufficiency: must be a string or null");
      }
      tags.put(name, new SituationTag(name, (String) insufficiency));
    }
    tree.replaceAll((k, v) -> {
      v.replaceAll((m, minors) -> List.copyOf(minors));
      return Collections.unmodifiableMap(v);
    });
    return new Taxonomy(Collections.unmodifiableMap(tree), leaves, keywords, tags);
  }

  /** The major categories in file order. */
  public List<String> majors() {
    return List.copyOf(tree.keySet());
  }

  /** The middle categories of {@code major}, empty when the major is unknown. */
  public List<String> middles(String major) {
    Map<String, List<String>> middles = tree.get(major);
    return middles == null ? List.of() : List.copyOf(middles.keySet());
  }

  /** The minor categories the taxonomy lists under (major, middle). */
  public List<String> minors(String major, String middle) {
    Map<String, List<String>> middles = tree.get(major);
    List<String> minors = middles == null ? null : middles.get(middle);
    return minors == null ? List.of() : minors;
  }

  /** Whether {@code major} is known and {@code middle} is null or one of its middles. */
  public boolean contains(String major, String middle) {
    Map<String, List<String>> middles = tree.get(major);
    return middles != null && (middle == null || middles.containsKey(middle));
  }

  /** Every (major, middle) and (major, middle, minor) leaf, in file order. */
  public List<Category> leaves() {
    return leaves;
  }

  /** The leaf a lower-case keyword hints at, or null. */
  public Category byKeyword(String keyword) {
    return keywords.get(keyword);
  }

  /** The situation tags, in file order. */
  public List<SituationTag> situationTags() {
    return List.copyOf(tags.values());
  }

  /** The tag named {@code tag}, or null when the taxonomy does not know it. */
  public SituationTag situationTag(String tag) {
    return tags.get(tag);
  }

  /** The categories as the lines a prompt lists: "major > middle: minor, minor". */
  public String promptListing() {
    StringBuilder sb = new StringBuilder();
    tree.forEach((major, middles) -> middles.forEach((middle, minors) -> {
      sb.append("- ").append(major).append(" > ").append(middle);
      if (!minors.isEmpty()) {
        sb.append(": ").append(String.join(", ", minors));
      }
      sb.append('\n');
    }));
    return sb.toString();
  }

  private static void addKeywords(Map<String, Category> keywords, JsonObject node, Category leaf, String at) {
    JsonArray words = node.getJsonArray("keywords", new JsonArray());
    for (int i = 0; i < words.size(); i++) {
      if (!(words.getValue(i) instanceof String word) || word.isBlank()) {
        throw new IllegalArgumentException(at + ".keywords[" + i + "]: must be a non-empty string");
      }
      keywords.put(word.toLowerCase(java.util.Locale.ROOT), leaf);
    }
  }

  private static JsonArray array(JsonObject json, String key, String at) {
    if (!(json.getValue(key) instanceof JsonArray a)) {
      throw new IllegalArgumentException(at + "." + key + ": must be an array");
    }
    return a;
  }

  private static JsonObject object(Object value, String at) {
    if (!(value instanceof JsonObject o)) {
      throw new IllegalArgumentException(at + ": must be an object");
    }
    return o;
  }

  private static String string(JsonObject json, String key, String at) {
    if (!(json.getValue(key) instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException(at + "." + key + ": must be a non-empty string");
    }
    return s;
  }
}
