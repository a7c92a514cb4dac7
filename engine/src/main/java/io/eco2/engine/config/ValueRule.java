package io.eco2.engine.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The type and range of one configuration key: checks a value (from YAML, or converted from an environment
 * string) and returns it in its canonical Java type, so that readers of the loaded configuration can rely
 * on {@code getInteger}, {@code getDouble}, {@code getJsonArray} and so on.
 */
final class ValueRule {

  private final String expected;
  private final Function<Object, Optional<Object>> check;
  private final Function<String, Object> parse;
  private final boolean secret;

  private ValueRule(String expected, Function<Object, Optional<Object>> check, Function<String, Object> parse,
                    boolean secret) {
    this.expected = expected;
    this.check = check;
    this.parse = parse;
    this.secret = secret;
  }

  /** An integer in [min, max]; stored as Integer when it fits, else Long. */
  static ValueRule integer(long min, long max) {
    String expected = max == Long.MAX_VALUE
      ? "an integer of at least " + min
      : "an integer between " + min + " and " + max;
    return new ValueRule(expected, v -> asLong(v).filter(n -> n >= min && n <= max).map(ValueRule::narrow),
      ValueRule::parseInteger, false);
  }

  /** A finite number in [min, max]; stored as Double. */
  static ValueRule decimal(double min, double max) {
    String expected = max == Double.MAX_VALUE
      ? "a number of at least " + min
      : "a number between " + min + " and " + max;
    return new ValueRule(expected, v -> asDouble(v).filter(d -> d >= min && d <= max).map(d -> (Object) d),
      ValueRule::parseDecimal, false);
  }

  static ValueRule bool() {
    return new ValueRule("true or false", v -> v instanceof Boolean ? Optional.of(v) : Optional.empty(),
      ValueRule::parseBoolean, false);
  }

  /** A string that is not blank. */
  static ValueRule text() {
    return new ValueRule("a non-empty string",
      v -> v instanceof String && !((String) v).isBlank() ? Optional.of(v) : Optional.empty(), s -> s, false);
  }

  /** Any string, the empty one included (an optional value whose absence is spelled ""). */
  static ValueRule optionalText() {
    return new ValueRule("a string", v -> v instanceof String ? Optional.of(v) : Optional.empty(), s -> s, false);
  }

  static ValueRule oneOf(String... values) {
    Set<String> allowed = Set.of(values);
    return new ValueRule("one of " + String.join(", ", values),
      v -> v instanceof String && allowed.contains(v) ? Optional.of(v) : Optional.empty(),
      String::strip, false);
  }

  /**
   * A list of strings, each accepted by {@code element}; {@code nonEmpty} and {@code distinct} constrain the
   * list as a whole. {@code expected} completes "must be …" in messages.
   */
  static ValueRule list(String expected, Predicate<String> element, boolean nonEmpty, boolean distinct) {
    return new ValueRule(expected, v -> {
      if (!(v instanceof JsonArray) && !(v instanceof List)) {
        return Optional.empty();
      }
      JsonArray array = v instanceof JsonArray ? (JsonArray) v : new JsonArray((List<?>) v);
      Set<Object> seen = new HashSet<>();
      for (Object e : array) {
        if (!(e instanceof String) || !element.test((String) e) || (distinct && !seen.add(e))) {
          return Optional.empty();
        }
      }
      return nonEmpty && array.isEmpty() ? Optional.empty() : Optional.of(array.copy());
    }, ValueRule::parseList, false);
  }

  /** The same rule, but values never appear in messages (API keys, passwords). */
  ValueRule secret() {
    return new ValueRule(expected, check, parse, true);
  }

  /** What a valid value looks like, completing "must be …". */
  String expected() {
    return expected;
  }

  /** The canonical value, or a {@link ConfigException} naming {@code key}. */
  Object check(String key, Object value) {
    return check.apply(value).orElseThrow(() ->
      new ConfigException(key, key + ": must be " + expected + ", got " + render(value, secret)));
  }

  /**
   * Converts an environment string to this key's type. A string that does not convert is returned as it is,
   * so that {@link #check} reports it with the same message as a bad value in the file.
   */
  Object fromEnvironment(String text) {
    return parse.apply(text);
  }

  /** Converts an environment string to the type of {@code example}: for keys without a rule (stage options). */
  static Object like(Object example, String text) {
    if (example instanceof Boolean) return parseBoolean(text);
    if (example instanceof Integer || example instanceof Long || example instanceof BigInteger) return parseInteger(text);
    if (example instanceof Number) return parseDecimal(text);
    if (example instanceof JsonArray || example instanceof List) return parseList(text);
    return text;
  }

  static String render(Object value, boolean secret) {
    if (secret) {
      return "a hidden value";
    }
    String s = value instanceof String || value instanceof JsonArray || value instanceof List
      || value instanceof java.util.Map || value instanceof io.vertx.core.json.JsonObject
      ? Json.encode(value) : String.valueOf(value);
    // keep the start-up line readable when someone pastes a whole document into one key
    return s.length() > 120 ? s.substring(0, 117) + "..." : s;
  }

  private static Optional<Long> asLong(Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return Optional.of(((Number) v).longValue());
    }
    if (v instanceof BigInteger) {
      BigInteger b = (BigInteger) v;
      return b.bitLength() < 64 ? Optional.of(b.longValue()) : Optional.empty();
    }
    // YAML writes 2e3 or 8080.0 for whole numbers too; accept them when nothing is lost
    if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
      double d = ((Number) v).doubleValue();
      return Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 9.0e15 ? Optional.of((long) d) : Optional.empty();
    }
    return Optional.empty();
  }

  private static Optional<Double> asDouble(Object v) {
    if (v instanceof Number) {
      double d = ((Number) v).doubleValue();
      return Double.isFinite(d) ? Optional.of(d) : Optional.empty();
    }
    return Optional.empty();
  }

  private static Object narrow(long n) {
    return n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE ? (Object) (int) n : (Object) n;
  }

  private static Object parseInteger(String text) {
    try {
      return narrow(Long.parseLong(text.strip()));
    } catch (NumberFormatException e) {
      return text;
    }
  }

  private static Object parseDecimal(String text) {
    try {
      return Double.parseDouble(text.strip());
    } catch (NumberFormatException e) {
      return text;
    }
  }

  private static Object parseBoolean(String text) {
    String s = text.strip().toLowerCase(Locale.ROOT);
    return s.equals("true") ? Boolean.TRUE : s.equals("false") ? Boolean.FALSE : text;
  }

  // Comma-separated is what people type in a Deployment manifest; a JSON array allows commas in elements.
  private static Object parseList(String text) {
    String s = text.strip();
    if (s.startsWith("[")) {
      try {
        return new JsonArray(s);
      } catch (DecodeException e) {
        return text;
      }
    }
    JsonArray array = new JsonArray();
    Arrays.stream(s.split(",")).map(String::strip).filter(e -> !e.isEmpty()).forEach(array::add);
    return array;
  }
}
