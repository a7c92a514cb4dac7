package io.eco2.engine.config;

import io.eco2.engine.stage.StagePolicy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Checks configuration trees against {@link ConfigSchema}. Two passes, because they answer different
 * questions: {@link #checkKeys} asks whether a file only uses known keys (and says which file is at fault);
 * {@link #validate} asks whether the merged result has valid values, and builds the canonical tree that
 * the rest of the engine reads.
 */
final class ConfigValidator {

  private ConfigValidator() {
  }

  /**
   * Fails on the first key of {@code tree} that the schema does not know, or on a section that is not an
   * object. Values are not checked here: that happens once, after all sources are merged.
   *
   * @param source names the file in messages, e.g. {@code conf/application.yaml}
   */
  static void checkKeys(JsonObject tree, String source) {
    checkSection(tree, "", source);
  }

  private static void checkSection(JsonObject section, String prefix, String source) {
    for (String name : section.fieldNames()) {
      String path = prefix + name;
      Object value = section.getValue(name);
      if (path.equals(ConfigSchema.STAGES)) {
        checkStages(requireSection(path, value, source), source);
      } else if (ConfigSchema.key(path) != null) {
        continue;
      } else if (ConfigSchema.isSection(path)) {
        checkSection(requireSection(path, value, source), path + ".", source);
      } else {
        throw unknown(path, source);
      }
    }
  }

  private static void checkStages(JsonObject stages, String source) {
    for (String stage : stages.fieldNames()) {
      String path = ConfigSchema.STAGES + "." + stage;
      if (!ConfigSchema.isStageName(stage)) {
        throw new ConfigException(path, path + ": a stage name must match " + ConfigSchema.STAGE_NAME
          + " and not be one of queued, done, error (in " + source + ")");
      }
      JsonObject section = requireSection(path, stages.getValue(stage), source);
      for (String key : section.fieldNames()) {
        if (key.equals(ConfigSchema.OPTIONS)) {
          requireSection(path + "." + key, section.getValue(key), source);
        } else if (!ConfigSchema.policyKeys().contains(key)) {
          throw unknown(path + "." + key, source);
        }
      }
    }
  }

  /**
   * Fails on the first {@code stages.<name>} section of {@code source} whose stage is not in the validated
   * {@code pipeline.stages}, listing the stages that are.
   *
   * @param origin completes the message, e.g. {@code in conf/application.yaml}
   */
  static void checkStagesInPipeline(JsonObject source, JsonObject validated, String origin) {
    Object sections = source.getValue(ConfigSchema.STAGES);
    if (!(sections instanceof JsonObject)) {
      return;
    }
    JsonArray pipeline = validated.getJsonObject("pipeline").getJsonArray("stages");
    for (String name : ((JsonObject) sections).fieldNames()) {
      if (!pipeline.contains(name)) {
        String path = ConfigSchema.STAGES + "." + name;
        throw new ConfigException(path, path + ": no stage '" + name + "' in pipeline.stages (known: "
          + String.join(", ", pipeline.stream().map(String::valueOf).toList()) + ") (" + origin + ")");
      }
    }
  }

  private static JsonObject requireSection(String path, Object value, String source) {
    if (value == null) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject)) {
      throw new ConfigException(path, path + ": must be a section of keys, got "
        + ValueRule.render(value, false) + " (in " + source + ")");
    }
    return (JsonObject) value;
  }

  private static ConfigException unknown(String path, String source) {
    return new ConfigException(path, "unknown key '" + path + "' in " + source);
  }

  /**
   * The canonical configuration built from {@code merged}: every registered key with its value checked and
   * converted to its canonical type, and a complete section for every stage named under {@code stages} or
   * in {@code pipeline.stages} (the policy keys that were set, validated by {@link StagePolicy}, and
   * {@code options} an object; unset keys keep the stage's own default policy). Fails with a {@link ConfigException} on the first bad value.
   */
  static JsonObject validate(JsonObject merged) {
    JsonObject out = new JsonObject();
    for (ConfigSchema.Key key : ConfigSchema.keys().values()) {
      var path = JsonTrees.segments(key.path());
      JsonTrees.put(out, path, key.rule().check(key.path(), JsonTrees.get(merged, path)));
    }
    out.put(ConfigSchema.STAGES, stages(merged, out.getJsonObject("pipeline").getJsonArray("stages")));
    ConfigSchema.crossCheck(out);
    return out;
  }

  private static JsonObject stages(JsonObject merged, JsonArray pipelineStages) {
    Object raw = merged.getValue(ConfigSchema.STAGES);
    JsonObject sections = raw instanceof JsonObject ? (JsonObject) raw : new JsonObject();
    Set<String> names = new LinkedHashSet<>(sections.fieldNames());
    pipelineStages.forEach(name -> names.add((String) name));
    JsonObject out = new JsonObject();
    for (String name : names) {
      out.put(name, stage(name, sections.getValue(name)));
    }
    return out;
  }

  private static JsonObject stage(String name, Object raw) {
    String path = ConfigSchema.STAGES + "." + name;
    if (raw != null && !(raw instanceof JsonObject)) {
      throw new ConfigException(path, path + ": must be a section of keys, got " + ValueRule.render(raw, false));
    }
    JsonObject section = raw == null ? new JsonObject() : ((JsonObject) raw).copy();
    Object options = section.remove(ConfigSchema.OPTIONS);
    if (options != null && !(options instanceof JsonObject)) {
      throw new ConfigException(path + ".options", path + ".options: must be a section of keys, got "
        + ValueRule.render(options, false));
    }
    try {
      // StagePolicy owns the meaning and limits of its keys; checking them here too would drift apart.
      new StagePolicy().merge(name, section);
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      int colon = message.indexOf(':');
      throw new ConfigException(colon > 0 ? message.substring(0, colon) : path, message, e);
    }
    // Only the keys that were set: a key left out keeps the stage's own default policy (Stage#defaultPolicy),
    // which a plugin stage chooses and StagePolicy's generic defaults must not overwrite.
    return section.put(ConfigSchema.OPTIONS, options == null ? new JsonObject() : options);
  }
}
