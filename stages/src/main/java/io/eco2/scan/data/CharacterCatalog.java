package io.eco2.scan.data;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The collectible characters a user earns by sorting waste correctly, and which one a category earns.
 *
 * <p>A character matches on (major, middle); one that also names a minor category wins when the minor is the
 * same. Immutable: share it freely. {@link #loadBundled} blocks on a class-path read.
 */
public final class CharacterCatalog {

  /**
   * One catalog entry.
   *
   * @param name the character's name
   * @param type what kind of waste it stands for
   * @param dialog what it says when earned
   * @param match the category it is earned for ({@code minor} null when any minor will do)
   */
  public record Entry(String name, String type, String dialog, Category match) {
  }

  private final List<Entry> characters;

  private CharacterCatalog(List<Entry> characters) {
    this.characters = List.copyOf(characters);
  }

  /** Loads {@code eco2/characters.json}, failing with the field at fault when an entry is malformed. */
  public static CharacterCatalog loadBundled() {
    return parse(BundledResources.ROOT + "characters.json", BundledResources.json("characters.json"));
  }

  /** Builds a catalog from its JSON form; {@code source} is named in error messages. */
  public static CharacterCatalog parse(String source, JsonObject json) {
    if (!(json.getValue("characters") instanceof JsonArray array)) {
      throw new IllegalArgumentException(source + ".characters: must be an array");
    }
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String at = source + ".characters[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject c) || !(c.getValue("match") instanceof JsonObject m)) {
        throw new IllegalArgumentException(at + ": must be an object with a match object");
      }
      Category match = new Category(string(m, "major", at + ".match"), string(m, "middle", at + ".match"),
        m.getValue("minor") instanceof String minor ? minor : null);
      out.add(new Entry(string(c, "name", at), string(c, "type", at), string(c, "dialog", at), match));
    }
    return new CharacterCatalog(out);
  }

  /** Every character, in catalog order. */
  public List<Entry> all() {
    return characters;
  }

  /** The character {@code category} earns, or null when none matches. */
  public Entry match(Category category) {
    if (category == null || category.middle() == null) {
      return null;
    }
    Entry general = null;
    for (Entry c : characters) {
      Category m = c.match();
      if (!m.major().equals(category.major()) || !m.middle().equals(category.middle())) {
        continue;
      }
      if (m.minor() == null) {
        general = general == null ? c : general;
      } else if (m.minor().equals(category.minor())) {
        return c;
      }
    }
    return general;
  }

  private static String string(JsonObject json, String key, String at) {
    if (!(json.getValue(key) instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException(at + "." + key + ": must be a non-empty string");
    }
    return s;
  }
}
