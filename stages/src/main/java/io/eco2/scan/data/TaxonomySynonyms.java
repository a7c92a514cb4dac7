package io.eco2.scan.data;

import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a model means when it names a category the taxonomy does not have: the names of
 * {@code eco2/taxonomy-synonyms.json} ("금속" under 재활용폐기물 is 금속캔, "음식물폐기물" is 음식물류) and what
 * the taxonomy itself says (a listed minor category belongs to one middle category; a middle category to one
 * major).
 *
 * <p>{@link #resolve} maps only where the data says which category was meant and answers null otherwise: a
 * guess would hand the user a confident disposal rule for the wrong waste, where "no matching rule" is honest.
 * Names are compared without whitespace. Immutable: share it freely. {@link #loadBundled} blocks on a
 * class-path read.
 */
public final class TaxonomySynonyms {

  /** The bundled synonym table, under {@link BundledResources#ROOT}. */
  public static final String FILE = "taxonomy-synonyms.json";

  private final Taxonomy taxonomy;
  private final Map<String, String> majors;
  private final Map<String, Map<String, String>> middles;

  private TaxonomySynonyms(Taxonomy taxonomy, Map<String, String> majors, Map<String, Map<String, String>> middles) {
    this.taxonomy = taxonomy;
    this.majors = majors;
    this.middles = middles;
  }

  /** Loads {@code eco2/taxonomy-synonyms.json}, checked against {@code taxonomy}. */
  public static TaxonomySynonyms loadBundled(Taxonomy taxonomy) {
    return parse(BundledResources.ROOT + FILE, BundledResources.json(FILE), taxonomy);
  }

  /**
   * Builds the table from its JSON form: {@code {"majors": {name: major}, "middles": {major: {name: middle}}}}.
   *
   * @param source what to name in error messages (a file name)
   * @throws IllegalArgumentException naming the entry whose target is not in {@code taxonomy}, or whose name
   *     is already a category there (the entry would be dead or contradict the taxonomy)
   */
  public static TaxonomySynonyms parse(String source, JsonObject json, Taxonomy taxonomy) {
    Map<String, String> majors = new HashMap<>();
    JsonObject majorTable = object(json, "majors", source);
    for (String name : majorTable.fieldNames()) {
      String at = source + ".majors." + name;
      String target = string(majorTable, name, at);
      if (!taxonomy.contains(target, null)) {
        throw new IllegalArgumentException(at + ": " + target + " is not a major category of the taxonomy " + taxonomy.majors());
      }
      if (realMajor(taxonomy, name) != null) {
        throw new IllegalArgumentException(at + ": already a major category of the taxonomy; remove the entry");
      }
      majors.put(key(name), target);
    }
    Map<String, Map<String, String>> middles = new HashMap<>();
    JsonObject middleTables = object(json, "middles", source);
    for (String major : middleTables.fieldNames()) {
      if (!taxonomy.contains(major, null)) {
        throw new IllegalArgumentException(source + ".middles." + major + ": not a major category of the taxonomy " + taxonomy.majors());
      }
      JsonObject table = object(middleTables, major, source + ".middles");
      Map<String, String> byName = new LinkedHashMap<>();
      for (String name : table.fieldNames()) {
        String at = source + ".middles." + major + "." + name;
        String target = string(table, name, at);
        if (!taxonomy.middles(major).contains(target)) {
          throw new IllegalArgumentException(at + ": " + target + " is not a middle category of " + major + " " + taxonomy.middles(major));
        }
        if (fromTaxonomy(taxonomy, major, name, null) != null) {
          throw new IllegalArgumentException(at + ": the taxonomy already says which category this is; remove the entry");
        }
        byName.put(key(name), target);
      }
      middles.put(major, Collections.unmodifiableMap(byName));
    }
    return new TaxonomySynonyms(taxonomy, Collections.unmodifiableMap(majors), Collections.unmodifiableMap(middles));
  }

  /**
   * The taxonomy category a model meant by (major, middle, minor), or null when the data does not say which.
   * A known or mapped major keeps its middle when that is null or maps under it; an unknown major is decided
   * by a middle that maps under exactly one major. The minor is kept; when it is null and the middle was a
   * listed minor category, that becomes the minor.
   */
  public Category resolve(String major, String middle, String minor) {
    String known = major == null ? null : realMajor(taxonomy, major);
    if (known == null && major != null) {
      known = majors.get(key(major));
    }
    if (known != null) {
      return middle == null ? new Category(known, null, minor) : under(known, middle, minor);
    }
    if (middle == null) {
      return null;
    }
    Category only = null;
    for (String candidate : taxonomy.majors()) {
      Category c = under(candidate, middle, minor);
      if (c != null) {
        if (only != null) {
          return null;
        }
        only = c;
      }
    }
    return only;
  }

  private Category under(String major, String middle, String minor) {
    Category c = fromTaxonomy(taxonomy, major, middle, minor);
    if (c != null) {
      return c;
    }
    String mapped = middles.getOrDefault(major, Map.of()).get(key(middle));
    return mapped == null ? null : new Category(major, mapped, minor);
  }

  // The category under `major` that the taxonomy names `name`: one of its middles, or a listed minor.
  private static Category fromTaxonomy(Taxonomy taxonomy, String major, String name, String minor) {
    String k = key(name);
    for (String middle : taxonomy.middles(major)) {
      if (key(middle).equals(k)) {
        return new Category(major, middle, minor);
      }
    }
    for (String middle : taxonomy.middles(major)) {
      for (String listed : taxonomy.minors(major, middle)) {
        if (key(listed).equals(k)) {
          return new Category(major, middle, minor == null ? listed : minor);
        }
      }
    }
    return null;
  }

  private static String realMajor(Taxonomy taxonomy, String name) {
    String k = key(name);
    return taxonomy.majors().stream().filter(m -> key(m).equals(k)).findFirst().orElse(null);
  }

  private static String key(String name) {
    return name.replaceAll("\\s+", "");
  }

  private static JsonObject object(JsonObject json, String key, String at) {
    if (!(json.getValue(key) instanceof JsonObject o)) {
      throw new IllegalArgumentException(at + "." + key + ": must be an object");
    }
    return o;
  }

  private static String string(JsonObject json, String key, String at) {
    if (!(json.getValue(key) instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException(at + ": must be a non-empty string");
    }
    return s;
  }
}
