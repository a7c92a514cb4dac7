package io.eco2.engine.stage;

import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.TreeSet;

/**
 * A stage's own settings, the {@code options} object of its {@code stages.<name>} section, read with
 * validation: every error names the full key ({@code stages.reward.options.match-timeout-ms: ...}). The
 * engine does not look inside {@code options}: a stage validates them itself in {@link Stage#init}, and an
 * {@link IllegalArgumentException} from here, thrown there, stops start-up with its one-line message.
 */
public final class StageOptions {

  private final String prefix;
  private final JsonObject json;

  private StageOptions(String prefix, JsonObject json) {
    this.prefix = prefix;
    this.json = json;
  }

  /**
   * The options of {@code stage}; none configured reads as an empty object.
   *
   * @throws IllegalArgumentException when {@code options} is not an object or holds a key not in {@code known}
   */
  public static StageOptions of(String stage, StageSetup setup, Set<String> known) {
    String prefix = "stages." + stage + ".options";
    Object value = setup.config() == null ? null : setup.config().getValue(StageSetup.OPTIONS);
    if (value != null && !(value instanceof JsonObject)) {
      throw new IllegalArgumentException(prefix + ": must be an object, got " + value);
    }
    JsonObject json = value == null ? new JsonObject() : (JsonObject) value;
    for (String key : json.fieldNames()) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException(prefix + "." + key + ": unknown option (known: "
          + String.join(", ", new TreeSet<>(known)) + ")");
      }
    }
    return new StageOptions(prefix + ".", json);
  }

  /** A whole number of at least 1; numeric strings (from environment overrides) are accepted. */
  public long positiveLong(String key, long dflt) {
    Object v = json.getValue(key);
    if (v == null) {
      return dflt;
    }
    double d;
    try {
      d = v instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      d = Double.NaN;
    }
    if (Double.isNaN(d) || d != Math.rint(d) || d < 1 || d > Long.MAX_VALUE) {
      throw new IllegalArgumentException(prefix + key + ": must be a whole number of at least 1, got " + v);
    }
    return (long) d;
  }

  /** A non-empty string. */
  public String string(String key, String dflt) {
    Object v = json.getValue(key);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException(prefix + key + ": must be a non-empty string, got " + v);
    }
    return s;
  }

  /** true or false; the strings "true" and "false" are accepted. */
  public boolean bool(String key, boolean dflt) {
    Object v = json.getValue(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if ("true".equals(v) || "false".equals(v)) {
      return Boolean.parseBoolean((String) v);
    }
    throw new IllegalArgumentException(prefix + key + ": must be true or false, got " + v);
  }
}
