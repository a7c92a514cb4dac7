package io.eco2.engine.config;

import io.vertx.core.json.JsonObject;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The built-in defaults (the registered keys' constants and the stage sections of the defaults resource),
 * read synchronously for tests that need no Vert.x.
 */
final class DefaultsYaml {

  private DefaultsYaml() {
  }

  static JsonObject tree() {
    return JsonTrees.deepMerge(ConfigSchema.defaults(), resource());
  }

  /** The defaults resource alone: the built-in pipeline's stage sections. */
  static JsonObject resource() {
    try (InputStream in = DefaultsYaml.class.getClassLoader().getResourceAsStream(ConfigLoader.DEFAULTS_RESOURCE)) {
      Map<String, Object> map = new Yaml(new SafeConstructor(new LoaderOptions()))
        .load(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return new JsonObject(map).copy();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Dotted paths of every value (not section) in the defaults, stage sections included. */
  static Set<String> leafPaths() {
    return JsonTrees.leaves(tree()).keySet().stream().map(JsonTrees::dotted).collect(Collectors.toSet());
  }
}
