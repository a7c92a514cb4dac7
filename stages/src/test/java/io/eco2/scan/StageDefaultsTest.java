package io.eco2.scan;

import io.eco2.engine.config.ConfigLoader;
import io.eco2.engine.stage.Stage;
import io.eco2.scan.reward.RewardStage;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stage sections of this module's defaults layer ({@code META-INF/eco2/defaults.yaml}) are not a second
 * source of the Eco² stages' defaults: each equals what the stage itself declares.
 */
class StageDefaultsTest {

  private static JsonObject builtInStageSections() throws IOException {
    try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(ConfigLoader.DEFAULTS_RESOURCE)) {
      Map<String, Object> map = new Yaml(new SafeConstructor(new LoaderOptions()))
        .load(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return new JsonObject(map).copy().getJsonObject("stages");
    }
  }

  @Test
  void builtInStageSectionsEqualEachStagesDefaultPolicy() throws IOException {
    Map<String, Stage> stages = new HashMap<>();
    ServiceLoader.load(Stage.class).forEach(s -> stages.put(s.name(), s));
    JsonObject sections = builtInStageSections();

    assertThat(sections.fieldNames()).isNotEmpty();
    for (String name : sections.fieldNames()) {
      JsonObject policy = sections.getJsonObject(name).copy();
      policy.remove("options");
      assertThat(stages).as("stage " + name).containsKey(name);
      assertThat(stages.get(name).defaultPolicy().merge(name, policy).toJson()).as("stages." + name)
        .isEqualTo(stages.get(name).defaultPolicy().toJson());
      assertThat(policy.fieldNames()).as("stages." + name + " lists every policy key")
        .containsExactlyInAnyOrderElementsOf(stages.get(name).defaultPolicy().toJson().fieldNames());
    }
  }

  @Test
  void builtInRewardOptionsEqualTheStagesOwnDefaults() throws IOException {
    JsonObject options = builtInStageSections().getJsonObject(RewardStage.NAME).getJsonObject("options");

    assertThat(options.getLong("match-timeout-ms")).isEqualTo(RewardStage.DEFAULT_MATCH_TIMEOUT_MS);
  }
}
