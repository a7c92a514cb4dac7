package io.eco2.engine.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's defaults have one source, the options classes' {@code DEFAULT_*} constants: the typed options
 * agree with what {@link ConfigSchema} registers, and read and write every key. (The sample
 * {@code conf/application.yaml} and the README table document the fat jar, the engine with the Eco² defaults
 * layer: the stages module's {@code ConfigDocsTest} checks them.)
 */
class TypedOptionsTest {

  @Test
  void typedOptionsDefaultToTheRegisteredDefaults() {
    JsonObject fromOptions = canonical(new EngineOptions().toJson());

    assertThat(fromOptions).isEqualTo(canonical(ConfigSchema.defaults()));
  }

  @Test
  void typedOptionsReadAndWriteEveryRegisteredKey() {
    JsonObject changed = new JsonObject();
    for (ConfigSchema.Key key : ConfigSchema.keys().values()) {
      JsonTrees.put(changed, JsonTrees.segments(key.path()), otherThan(key));
    }

    JsonObject roundTrip = canonical(new EngineOptions(changed).toJson());

    assertThat(roundTrip).isEqualTo(canonical(changed));
  }

  /** A valid value of {@code key} that differs from its default, so a key read under a wrong name shows. */
  private static Object otherThan(ConfigSchema.Key key) {
    Object d = key.defaultValue();
    return switch (key.path()) {
      case "mode" -> "distributed";
      case "role" -> "worker";
      case "auth.mode" -> "none";
      case "log.format" -> "json";
      case "log.job-level" -> "DEBUG";
      case "http.cors.allowed-origins" -> new JsonArray().add("https://extra.example");
      default -> {
        if (d instanceof Boolean b) yield !b;
        if (d instanceof Integer i) yield i + 1;
        if (d instanceof Long l) yield l + 1;
        if (d instanceof Double x) yield x + 0.5;
        if (d instanceof JsonArray a) yield a.copy().add("extra");
        yield d + "-other";
      }
    };
  }

  /** Each registered key's value in its canonical type (Integer vs Long, 15 vs 15.0 do not matter). */
  private static JsonObject canonical(JsonObject tree) {
    JsonObject out = new JsonObject();
    for (ConfigSchema.Key key : ConfigSchema.keys().values()) {
      List<String> path = JsonTrees.segments(key.path());
      JsonTrees.put(out, path, key.rule().check(key.path(), JsonTrees.get(tree, path)));
    }
    return out;
  }
}
