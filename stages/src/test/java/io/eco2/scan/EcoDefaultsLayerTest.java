package io.eco2.scan;

import io.eco2.engine.config.ConfigException;
import io.eco2.engine.config.ConfigLoader;
import io.eco2.testkit.Await;
import io.eco2.testkit.LogCapture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Eco² defaults come from this module's defaults layer ({@code META-INF/eco2/defaults.yaml}): with this
 * module on the class path, as in the fat jar, the loader gives the scan pipeline, its models, question and
 * stage sections with nothing configured, and the file and the environment still override them.
 */
@ExtendWith(VertxExtension.class)
class EcoDefaultsLayerTest {

  @TempDir
  Path dir;

  /** A loader that sees only this module's class path: no process environment, no stray conf/ directory. */
  private ConfigLoader loader() {
    return ConfigLoader.create().setWorkingDirectory(dir).setEnvironment(Map.of());
  }

  private String file(String yaml) throws IOException {
    Path file = dir.resolve("test.yaml");
    Files.writeString(file, yaml);
    return file.toString();
  }

  @Test
  void defaultsLoadWhenThereIsNoFile(Vertx vertx) {
    JsonObject config = Await.result(loader().load(vertx));

    assertThat(config.getJsonObject("pipeline").getJsonArray("stages"))
      .containsExactly("vision", "rule", "answer", "reward");
    JsonObject vision = config.getJsonObject("stages").getJsonObject("vision");
    assertThat(vision.getInteger("concurrency")).isEqualTo(3072);
    assertThat(vision.getJsonObject("options")).isEmpty();
    assertThat(config.getJsonObject("stages").getJsonObject("reward").getJsonObject("options")
      .getInteger("match-timeout-ms")).isEqualTo(10000);
  }

  @Test
  void theLayerHoldsTheEcoDefaults(Vertx vertx) {
    JsonObject config = Await.result(loader().load(vertx));

    assertThat(config.getJsonObject("pipeline").getJsonArray("stages")).isEqualTo(new JsonArray(EcoDefaults.STAGES));
    assertThat(config.getJsonObject("llm").getJsonArray("models")).isEqualTo(new JsonArray(EcoDefaults.MODELS));
    assertThat(config.getJsonObject("llm").getString("default-model")).isEqualTo(EcoDefaults.DEFAULT_MODEL);
    assertThat(config.getJsonObject("api").getString("default-user-input")).isEqualTo(EcoDefaults.USER_INPUT);
    assertThat(config.getJsonObject("scaling").getJsonArray("llm-stages")).isEqualTo(new JsonArray(EcoDefaults.LLM_STAGES));
  }

  @Test
  void theConfigurationLineSaysTheEcoDefaultsCameFromThisModule(Vertx vertx) {
    try (LogCapture log = LogCapture.everything()) {
      Await.result(loader().load(vertx));

      assertThat(log.lines()).anySatisfy(line -> assertThat(line)
        .contains("Configuration loaded from built-in defaults, defaults layer ")
        .contains(ConfigLoader.DEFAULTS_RESOURCE));
    }
  }

  @Test
  void environmentOverridesAStageKey(Vertx vertx) {
    JsonObject config = Await.result(loader().setEnvironment(Map.of("ECO2_STAGES_VISION_CONCURRENCY", "32")).load(vertx));

    assertThat(config.getJsonObject("stages").getJsonObject("vision").getValue("concurrency")).isEqualTo(32);
    assertThat(config.getJsonObject("stages").getJsonObject("vision").getInteger("backlog")).isEqualTo(10000);
  }

  @Test
  void environmentOverridesAStageOption(Vertx vertx) {
    JsonObject config = Await.result(loader().setEnvironment(Map.of("ECO2_STAGES_REWARD_OPTIONS_MATCH_TIMEOUT_MS", "2500")).load(vertx));

    assertThat(config.getJsonObject("stages").getJsonObject("reward").getJsonObject("options")
      .getValue("match-timeout-ms")).isEqualTo(2500);
  }

  @Test
  void fileOverridesTheLayer(Vertx vertx) throws IOException {
    JsonObject config = Await.result(loader().setConfigPath(file("llm:\n  models: [m1]\n  default-model: m1\n")).load(vertx));

    assertThat(config.getJsonObject("llm").getJsonArray("models")).containsExactly("m1");
    assertThat(config.getJsonObject("pipeline").getJsonArray("stages")).isEqualTo(new JsonArray(EcoDefaults.STAGES));
  }

  @Test
  void stageSectionForAStageNotInThePipelineFailsListingTheKnownStages(Vertx vertx) throws IOException {
    String path = file("stages:\n  vison:\n    concurrency: 8\n");

    Throwable failure = Await.failure(loader().setConfigPath(path).load(vertx));

    assertThat(failure).isInstanceOf(ConfigException.class);
    ConfigException e = (ConfigException) failure;
    assertThat(e.key()).isEqualTo("stages.vison");
    assertThat(e.getMessage()).isEqualTo("stages.vison: no stage 'vison' in pipeline.stages (known: vision, rule, answer, reward) (in "
      + path + ")");
  }

  @Test
  void stageSectionsOfTheBuiltInPipelineMayStayWhenThePipelineIsShorter(Vertx vertx) {
    JsonObject config = Await.result(loader().setEnvironment(Map.of("ECO2_PIPELINE_STAGES", "vision")).load(vertx));

    assertThat(config.getJsonObject("pipeline").getJsonArray("stages")).containsExactly("vision");
  }
}
