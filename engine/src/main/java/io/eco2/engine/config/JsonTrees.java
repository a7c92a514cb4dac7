package io.eco2.engine.config;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Paths into nested configuration objects. A path is a list of segments rather than a dotted string
 * because free-form stage options may have dots in their own keys.
 */
final class JsonTrees {

  private JsonTrees() {
  }

  static List<String> segments(String dotted) {
    return List.of(dotted.split("\\."));
  }

  static String dotted(List<String> segments) {
    return String.join(".", segments);
  }

  /** The value at {@code path}, or null when it or a section on the way is absent. */
  static Object get(JsonObject root, List<String> path) {
    Object node = root;
    for (String segment : path) {
      if (!(node instanceof JsonObject)) {
        return null;
      }
      node = ((JsonObject) node).getValue(segment);
    }
    return node;
  }

  /** Sets the value at {@code path}, creating sections on the way (and replacing non-sections). */
  static void put(JsonObject root, List<String> path, Object value) {
    JsonObject node = root;
    for (String segment : path.subList(0, path.size() - 1)) {
      Object child = node.getValue(segment);
      if (!(child instanceof JsonObject)) {
        child = new JsonObject();
        node.put(segment, child);
      }
      node = (JsonObject) child;
    }
    node.put(path.get(path.size() - 1), value);
  }

  /**
   * Merges {@code over} into {@code base}: sections merge key by key, anything else (lists included)
   * replaces. A section left empty in YAML reads as null; it keeps the base section, because commenting
   * out every key of a section must not erase its defaults.
   */
  static JsonObject deepMerge(JsonObject base, JsonObject over) {
    for (String key : over.fieldNames()) {
      Object value = over.getValue(key);
      Object current = base.getValue(key);
      if (current instanceof JsonObject && value instanceof JsonObject) {
        deepMerge((JsonObject) current, (JsonObject) value);
      } else if (!(current instanceof JsonObject && value == null)) {
        base.put(key, value instanceof JsonObject ? ((JsonObject) value).copy() : value);
      }
    }
    return base;
  }

  /** Every non-section value under {@code root} (lists count as values), by path. */
  static Map<List<String>, Object> leaves(JsonObject root) {
    Map<List<String>, Object> out = new LinkedHashMap<>();
    collect(root, new ArrayList<>(), out);
    return out;
  }

  private static void collect(JsonObject node, List<String> prefix, Map<List<String>, Object> out) {
    for (String key : node.fieldNames()) {
      List<String> path = new ArrayList<>(prefix);
      path.add(key);
      Object value = node.getValue(key);
      if (value instanceof JsonObject) {
        collect((JsonObject) value, path, out);
      } else {
        out.put(List.copyOf(path), value);
      }
    }
  }
}
