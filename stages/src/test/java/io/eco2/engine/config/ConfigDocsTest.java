package io.eco2.engine.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample {@code conf/application.yaml} and the README's configuration table document the fat jar: the
 * engine's {@code DEFAULT_*} constants with this module's Eco² defaults layer over them, and agree with both.
 * (That the typed options agree with the constants is the engine module's {@code TypedOptionsTest}.)
 *
 * <p>The README rows between the {@code config-table} markers are generated: run this test with
 * {@code -Deco2.docs.write=true} to rewrite them after adding or changing a key (see {@link EngineOptions}).
 */
class ConfigDocsTest {

  static final String BEGIN = "<!-- config-table:begin (generated from ConfigSchema by ConfigDocsTest: do not edit by hand) -->";
  static final String END = "<!-- config-table:end -->";
  private static final Pattern DEFAULT_IN_COMMENT = Pattern.compile("Default: (\"[^\"]*\"|\\[[^\\]]*]|\\S+?)(?=[.,]?(\\s|$))");

  @Test
  void applicationYamlSetsEveryKeyToItsBuiltInDefault() throws IOException {
    JsonObject file = yaml(Files.readString(root().resolve(ConfigLoader.DEFAULT_CONFIG_PATH)));
    JsonObject defaults = DefaultsYaml.tree();

    Map<String, Object> fileValues = leaves(file);
    assertThat(fileValues.keySet()).containsAll(leaves(defaults).keySet());
    fileValues.forEach((path, value) ->
      assertThat(normalise(path, value)).as(path).isEqualTo(normalise(path, JsonTrees.get(defaults, JsonTrees.segments(path)))));
  }

  @Test
  void applicationYamlCommentsStateTheBuiltInDefaults() throws IOException {
    JsonObject defaults = DefaultsYaml.tree();
    Map<String, String> comments = comments(Files.readAllLines(root().resolve(ConfigLoader.DEFAULT_CONFIG_PATH)));

    comments.forEach((path, comment) -> {
      Matcher m = DEFAULT_IN_COMMENT.matcher(comment);
      if (m.find()) {
        Object value = JsonTrees.get(defaults, JsonTrees.segments(path));
        assertThat(sameValue(unquote(m.group(1)), render(value))).as("'Default: " + m.group(1) + "' in the comment on "
          + path + " states the built-in default " + render(value)).isTrue();
      }
    });
  }

  @Test
  void readmeConfigurationTableIsGeneratedFromTheSchema() throws IOException {
    Path readme = root().resolve("README.md");
    String text = Files.readString(readme);
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    assertThat(begin).as("README.md has the marker " + BEGIN).isNotNegative();
    assertThat(end).as("README.md has the marker " + END).isGreaterThan(begin);
    String expected = BEGIN + "\n" + table() + END;
    String actual = text.substring(begin, end + END.length());
    if (!actual.equals(expected) && Boolean.getBoolean("eco2.docs.write")) {
      Files.writeString(readme, text.substring(0, begin) + expected + text.substring(end + END.length()));
      actual = expected;
    }

    assertThat(actual).as("README configuration table (regenerate: -Deco2.docs.write=true)").isEqualTo(expected);
  }

  /** The README table: one row per registered key, its default (the Eco² layer's, if it sets one) and its meaning. */
  static String table() {
    JsonObject defaults = DefaultsYaml.tree();
    StringBuilder out = new StringBuilder("| key | default | meaning |\n|---|---|---|\n");
    for (ConfigSchema.Key key : ConfigSchema.keys().values()) {
      Object value = key.rule().check(key.path(), JsonTrees.get(defaults, JsonTrees.segments(key.path())));
      out.append("| `").append(key.path()).append("` | `").append(render(value)).append("` | ")
        .append(key.doc()).append(" |\n");
    }
    return out.toString();
  }

  /** A value as people write it in YAML: {@code [a, b]}, {@code ""}, {@code 15} for a whole 15.0. */
  static String render(Object value) {
    if (value instanceof JsonArray a) {
      List<String> items = new ArrayList<>();
      a.forEach(v -> items.add(render(v)));
      return "[" + String.join(", ", items) + "]";
    }
    if (value instanceof String s) {
      return s.isEmpty() ? "\"\"" : s;
    }
    if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString(d.longValue());
    }
    return String.valueOf(value);
  }

  private static String unquote(String s) {
    if (s.length() > 2 && s.startsWith("\"") && s.endsWith("\"")) {
      return s.substring(1, s.length() - 1);
    }
    return s;
  }

  private static boolean sameValue(String stated, String actual) {
    if (stated.equals(actual)) {
      return true;
    }
    try {
      return Double.parseDouble(stated) == Double.parseDouble(actual);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static Object normalise(String path, Object value) {
    ConfigSchema.Key key = ConfigSchema.key(path);
    if (key != null) {
      return key.rule().check(path, value);
    }
    return value instanceof Number n ? (Object) n.doubleValue() : value;
  }

  private static Map<String, Object> leaves(JsonObject tree) {
    Map<String, Object> out = new LinkedHashMap<>();
    JsonTrees.leaves(tree).forEach((path, value) -> out.put(JsonTrees.dotted(path), value));
    return out;
  }

  private static JsonObject yaml(String text) {
    Map<String, Object> map = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    return new JsonObject(map).copy();
  }

  /** The comment lines right above each key of a block-style YAML file, by dotted path. */
  private static Map<String, String> comments(List<String> lines) {
    Map<String, String> out = new LinkedHashMap<>();
    List<Map.Entry<Integer, String>> parents = new ArrayList<>();
    StringBuilder comment = new StringBuilder();
    for (String line : lines) {
      String trimmed = line.strip();
      if (trimmed.isEmpty()) {
        comment.setLength(0);
        continue;
      }
      if (trimmed.startsWith("#")) {
        comment.append(' ').append(trimmed.substring(1).strip());
        continue;
      }
      int indent = line.indexOf(trimmed);
      String key = trimmed.substring(0, trimmed.indexOf(':')).strip();
      parents.removeIf(p -> p.getKey() >= indent);
      StringBuilder path = new StringBuilder();
      parents.forEach(p -> path.append(p.getValue()).append('.'));
      path.append(key);
      parents.add(Map.entry(indent, key));
      out.put(path.toString(), comment.toString());
      comment.setLength(0);
    }
    return out;
  }

  private static Path root() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("README.md")) && Files.isRegularFile(dir.resolve("engine/pom.xml"))) {
        return dir;
      }
    }
    throw new AssertionError("project root not found above " + Path.of("").toAbsolutePath());
  }
}
