package io.eco2.engine.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Applies {@code ECO2_…} environment variables to a configuration tree. Every key has a variable:
 * {@code ECO2_} + its path with {@code .} and {@code -} replaced by {@code _}, upper-cased
 * ({@code stages.vision.timeout-ms} → {@code ECO2_STAGES_VISION_TIMEOUT_MS}).
 *
 * <p>Because {@code _} stands for both separators, a name cannot be split back into a path; instead the
 * names of all known keys are computed and looked up. Known keys are the registered ones, the policy keys
 * of every stage named under {@code stages} or in {@code pipeline.stages}, and the stage options present
 * in the tree. A variable that matches none is logged as a warning and ignored: orchestrators inject
 * variables of their own (Kubernetes adds {@code ECO2_PORT} for a Service named {@code eco2}).
 */
final class EnvironmentOverrides {

  static final String PREFIX = "ECO2_";

  private static final System.Logger LOG = System.getLogger(EnvironmentOverrides.class.getName());

  private EnvironmentOverrides() {
  }

  /** The variable that overrides {@code path}, e.g. {@code llm.base-url} → {@code ECO2_LLM_BASE_URL}. */
  static String variableName(String path) {
    return PREFIX + path.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /**
   * Sets, in {@code config}, the value of every key that has a variable in {@code env}, converted to the
   * key's type. A value that does not convert stays a string, for the validator to report.
   *
   * @return the dotted path of each key set, mapped to the variable that set it
   */
  static Map<String, String> apply(JsonObject config, Map<String, String> env) {
    Map<String, String> applied = new LinkedHashMap<>();
    Set<String> unused = new TreeSet<>(prefixed(env).keySet());
    // Registered keys first: ECO2_PIPELINE_STAGES may name a plugin stage whose own keys then become known.
    applyAll(config, env, registeredKeys(), unused, applied);
    applyAll(config, env, stageKeys(config), unused, applied);
    for (String name : unused) {
      LOG.log(Level.WARNING, "Ignoring environment variable {0}: it matches no configuration key", name);
    }
    return applied;
  }

  /**
   * Converts {@code text} the way a variable for {@code path} would be, or returns null when {@code path}
   * is not a key of {@code config} (see the class comment for which keys are known).
   */
  static Object convert(JsonObject config, String path, String text) {
    for (Target target : knownKeys(config).values()) {
      if (target.dotted().equals(path)) {
        return target.convert(text);
      }
    }
    return null;
  }

  private static Map<String, Target> knownKeys(JsonObject config) {
    Map<String, Target> all = registeredKeys();
    stageKeys(config).forEach(all::putIfAbsent);
    return all;
  }

  private static void applyAll(JsonObject config, Map<String, String> env, Map<String, Target> targets,
                               Set<String> unused, Map<String, String> applied) {
    targets.forEach((variable, target) -> {
      String text = env.get(variable);
      if (text != null) {
        JsonTrees.put(config, target.path(), target.convert(text));
        applied.put(target.dotted(), variable);
        unused.remove(variable);
      }
    });
  }

  private static Map<String, String> prefixed(Map<String, String> env) {
    Map<String, String> out = new LinkedHashMap<>();
    env.forEach((k, v) -> {
      if (k.startsWith(PREFIX)) out.put(k, v);
    });
    return out;
  }

  private static Map<String, Target> registeredKeys() {
    Map<String, Target> out = new LinkedHashMap<>();
    for (ConfigSchema.Key key : ConfigSchema.keys().values()) {
      add(out, new Target(JsonTrees.segments(key.path()), key.rule(), null));
    }
    return out;
  }

  private static Map<String, Target> stageKeys(JsonObject config) {
    Set<String> stages = new LinkedHashSet<>();
    Object sections = config.getValue(ConfigSchema.STAGES);
    if (sections instanceof JsonObject) {
      stages.addAll(((JsonObject) sections).fieldNames());
    }
    Object pipeline = JsonTrees.get(config, JsonTrees.segments("pipeline.stages"));
    if (pipeline instanceof JsonArray) {
      ((JsonArray) pipeline).forEach(name -> {
        if (name instanceof String && ConfigSchema.isStageName((String) name)) stages.add((String) name);
      });
    }
    JsonObject policyDefaults = ConfigSchema.policyDefaults();
    Map<String, Target> out = new LinkedHashMap<>();
    for (String stage : stages) {
      for (String key : ConfigSchema.policyKeys()) {
        add(out, new Target(List.of(ConfigSchema.STAGES, stage, key), null, policyDefaults.getValue(key)));
      }
      Object options = JsonTrees.get(config, List.of(ConfigSchema.STAGES, stage, ConfigSchema.OPTIONS));
      if (options instanceof JsonObject) {
        JsonTrees.leaves((JsonObject) options).forEach((sub, value) -> {
          List<String> path = new ArrayList<>(List.of(ConfigSchema.STAGES, stage, ConfigSchema.OPTIONS));
          path.addAll(sub);
          add(out, new Target(List.copyOf(path), null, value));
        });
      }
    }
    return out;
  }

  private static void add(Map<String, Target> out, Target target) {
    String variable = variableName(target.dotted());
    Target earlier = out.putIfAbsent(variable, target);
    if (earlier != null && !earlier.path().equals(target.path())) {
      // e.g. stage "a-b" key "c" and stage "a" option "b-c": the first one registered keeps the variable
      LOG.log(Level.WARNING, "Environment variable {0} could set {1} or {2}; it sets {1} only",
        variable, earlier.dotted(), target.dotted());
    }
  }

  /** A key a variable can set: converted by its rule when registered, else to the type of its default. */
  private record Target(List<String> path, ValueRule rule, Object example) {
    String dotted() {
      return JsonTrees.dotted(path);
    }

    Object convert(String text) {
      return rule != null ? rule.fromEnvironment(text) : ValueRule.like(example, text);
    }
  }
}
