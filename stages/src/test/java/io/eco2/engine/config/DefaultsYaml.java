package io.eco2.engine.config;

import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * The fat jar's built-in defaults: the engine's registered constants with this module's defaults layer (the
 * Eco² pipeline, models, question and stage sections) over them, found on the class path as the loader finds
 * it, read synchronously for tests that need no Vert.x.
 */
final class DefaultsYaml {

  private DefaultsYaml() {
  }

  static JsonObject tree() {
    return DefaultsLayers.builtIn(DefaultsYaml.class.getClassLoader());
  }

  /** Dotted paths of every value (not section) in the defaults, stage sections included. */
  static Set<String> leafPaths() {
    return JsonTrees.leaves(tree()).keySet().stream().map(JsonTrees::dotted).collect(Collectors.toSet());
  }
}
