package io.eco2.engine.config;

import io.vertx.core.json.JsonObject;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The defaults layers of a class path: every {@link ConfigLoader#DEFAULTS_RESOURCE} a jar (or classes
 * directory) ships, between the engine's own constants and the user's file. This is how a product built on
 * the engine (the Eco² stages module and its fat jar) gives its pipeline, models and stage sections without
 * the engine knowing them.
 *
 * <p>Two layers setting the same key to different values is an error naming both: which one wins would
 * otherwise depend on the order of the class path. Reading blocks (class-path resources): call it from a
 * worker thread.
 *
 * @param tree the layers merged (empty when there are none)
 * @param origins each value's layer, by dotted key ({@code in eco2-pipeline.jar!/META-INF/eco2/defaults.yaml})
 * @param labels the layers, in class-path order, as messages and the start-up line name them
 */
record DefaultsLayers(JsonObject tree, Map<String, String> origins, List<String> labels) {

  /** Reads and checks every layer {@code classLoader} finds. */
  static DefaultsLayers find(ClassLoader classLoader) {
    JsonObject tree = new JsonObject();
    Map<String, String> origins = new LinkedHashMap<>();
    List<String> labels = new ArrayList<>();
    for (URL url : resources(classLoader)) {
      String label = label(url);
      JsonObject layer = read(url, label);
      ConfigValidator.checkKeys(layer, label);
      JsonTrees.leaves(layer).forEach((path, value) -> {
        String key = JsonTrees.dotted(path);
        Object earlier = JsonTrees.get(tree, path);
        if (origins.containsKey(key) && !Objects.equals(earlier, value)) {
          throw new ConfigException(key, key + ": set to " + ValueRule.render(earlier, false) + " " + origins.get(key)
            + " and to " + ValueRule.render(value, false) + " in " + label
            + "; two defaults layers on the class path disagree: remove one jar, or set " + key + " in the configuration file");
        }
        origins.put(key, "in " + label);
      });
      JsonTrees.deepMerge(tree, layer);
      labels.add(label);
    }
    return new DefaultsLayers(tree, Collections.unmodifiableMap(origins), List.copyOf(labels));
  }

  /** The engine's constants ({@link ConfigSchema#defaults()}) with these layers over them. */
  JsonObject overConstants() {
    return JsonTrees.deepMerge(ConfigSchema.defaults(), tree.copy());
  }

  /** Every default {@code classLoader} gives: the engine's constants and its class path's layers. */
  static JsonObject builtIn(ClassLoader classLoader) {
    return find(classLoader).overConstants();
  }

  private static List<URL> resources(ClassLoader classLoader) {
    try {
      return Collections.list(classLoader.getResources(ConfigLoader.DEFAULTS_RESOURCE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + ConfigLoader.DEFAULTS_RESOURCE + " on the class path", e);
    }
  }

  /** The jar's file name and the entry ({@code eco2-pipeline.jar!/META-INF/…}), or the file's path. */
  private static String label(URL url) {
    String text = url.toString();
    int bang = text.lastIndexOf("!/");
    if (text.startsWith("jar:") && bang > 0) {
      String jar = text.substring(0, bang);
      return jar.substring(jar.lastIndexOf('/') + 1) + text.substring(bang);
    }
    if (url.getProtocol().equals("file")) {
      try {
        return java.nio.file.Path.of(url.toURI()).toString();
      } catch (java.net.URISyntaxException | IllegalArgumentException e) {
        return url.getPath();
      }
    }
    return text;
  }

  private static JsonObject read(URL url, String label) {
    String text;
    try (InputStream in = url.openStream()) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(null, label + ": cannot be read: " + e, e);
    }
    Object yaml;
    try {
      yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    } catch (YAMLException e) {
      throw new ConfigException(null, label + ": not valid YAML: " + e.getMessage().replace('\n', ' '), e);
    }
    if (yaml == null) {
      return new JsonObject();
    }
    if (!(yaml instanceof Map<?, ?> map)) {
      throw new ConfigException(null, label + ": must hold a YAML mapping of keys at the top level");
    }
    @SuppressWarnings("unchecked")
    JsonObject layer = new JsonObject((Map<String, Object>) map).copy();
    return layer;
  }
}
