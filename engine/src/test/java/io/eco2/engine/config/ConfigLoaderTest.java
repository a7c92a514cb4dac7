package io.eco2.engine.config;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class ConfigLoaderTest {

  @TempDir
  Path dir;

  private Vertx vertx;
  private final List<String> warnings = new ArrayList<>();
  private final Logger envLogger = Logger.getLogger(EnvironmentOverrides.class.getName());
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      warnings.add(new SimpleFormatter().formatMessage(record));
    }

    @Override public void flush() { }

    @Override public void close() { }
  };

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    envLogger.addHandler(capture);
  }

  @AfterEach
  void tearDown() {
    envLogger.removeHandler(capture);
  }

  /** A loader that sees only what a test gives it: no process environment, no stray conf/ directory. */
  private ConfigLoader loader() {
    return ConfigLoader.create().setWorkingDirectory(dir).setEnvironment(Map.of());
  }

  private JsonObject load(ConfigLoader loader) throws Exception {
    return loader.load(vertx).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private ConfigException failure(ConfigLoader loader) throws Exception {
    try {
      load(loader);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(ConfigException.class);
      assertThat(e.getCause().getMessage()).doesNotContain("\n");
      return (ConfigException) e.getCause();
    }
    throw new AssertionError("configuration loaded, expected a ConfigException");
  }

  private String file(String yaml) throws IOException {
    Path file = dir.resolve("test.yaml");
    Files.writeString(file, yaml);
    return file.toString();
  }

  @Test
  void defaultsLoadWhenThereIsNoFile() throws Exception {
    JsonObject config = load(loader());

    assertThat(config.getString("mode")).isEqualTo("embedded");
    assertThat(config.getJsonObject("http").getInteger("port")).isEqualTo(8080);
    assertThat(config.getJsonObject("http").getJsonArray("api-keys")).isEmpty();
    assertThat(config.getJsonObject("llm").getJsonObject("simulated").getDouble("latency-scale")).isEqualTo(1.0);
  }

  @Test
  void fileOverridesANestedKeyAndKeepsItsSiblings() throws Exception {
    JsonObject config = load(loader().setConfigPath(file("http:\n  port: 9000\n")));

    assertThat(config.getJsonObject("http").getInteger("port")).isEqualTo(9000);
    assertThat(config.getJsonObject("http").getString("host")).isEqualTo("0.0.0.0");
  }

  @Test
  void defaultFileInWorkingDirectoryIsReadWhenPresent() throws Exception {
    Files.createDirectories(dir.resolve("conf"));
    Files.writeString(dir.resolve("conf/application.yaml"), "role: api\n");

    assertThat(load(loader()).getString("role")).isEqualTo("api");
  }

  @Test
  void fileWithOnlyCommentsLoadsDefaults() throws Exception {
    JsonObject config = load(loader().setConfigPath(file("# nothing set yet\n")));

    assertThat(config).isEqualTo(load(loader()));
  }

  @Test
  void environmentOverridesHttpPort() throws Exception {
    JsonObject config = load(loader().setEnvironment(Map.of("ECO2_HTTP_PORT", "9090")));

    assertThat(config.getJsonObject("http").getValue("port")).isEqualTo(9090);
  }

  @Test
  void environmentWinsOverFile() throws Exception {
    JsonObject config = load(loader().setConfigPath(file("http: {port: 9000}\n"))
      .setEnvironment(Map.of("ECO2_HTTP_PORT", "9090")));

    assertThat(config.getJsonObject("http").getInteger("port")).isEqualTo(9090);
  }

  @Test
  void environmentOverridesAListWithCommaSeparatedNames() throws Exception {
    JsonObject config = load(loader().setEnvironment(Map.of("ECO2_PIPELINE_STAGES", "vision, rule")));

    assertThat(config.getJsonObject("pipeline").getJsonArray("stages")).isEqualTo(new JsonArray().add("vision").add("rule"));
  }

  @Test
  void environmentOverridesAListWithAJsonArray() throws Exception {
    JsonObject config = load(loader().setEnvironment(Map.of("ECO2_HTTP_API_KEYS", "[\"k,1\",\"k2\"]")));

    assertThat(config.getJsonObject("http").getJsonArray("api-keys")).containsExactly("k,1", "k2");
  }

  @Test
  void environmentSetsKeysOfAPluginStageNamedInPipelineStages() throws Exception {
    JsonObject config = load(loader().setEnvironment(Map.of(
      "ECO2_PIPELINE_STAGES", "vision,ocr-text",
      "ECO2_STAGES_OCR_TEXT_TIMEOUT_MS", "5000")));

    JsonObject ocr = config.getJsonObject("stages").getJsonObject("ocr-text");
    assertThat(ocr.getLong("timeout-ms")).isEqualTo(5000L);
    assertThat(ocr.getJsonObject("options")).isEmpty();
  }

  @Test
  void aStageKeyLeftUnsetStaysUnsetSoTheStagesOwnDefaultPolicyApplies() throws Exception {
    JsonObject config = load(loader().setEnvironment(Map.of(
      "ECO2_PIPELINE_STAGES", "vision,ocr-text",
      "ECO2_STAGES_OCR_TEXT_TIMEOUT_MS", "5000")));

    assertThat(config.getJsonObject("stages").getJsonObject("ocr-text").containsKey("concurrency")).isFalse();
  }

  @Test
  void unknownEnvironmentVariableOnlyWarns() throws Exception {
    JsonObject config = load(loader().setEnvironment(Map.of("ECO2_PORT", "tcp://10.0.0.1:8080", "HOME", "/root")));

    assertThat(config).isEqualTo(load(loader()));
    assertThat(warnings).anySatisfy(w -> assertThat(w).contains("ECO2_PORT").doesNotContain("tcp://"));
    assertThat(warnings).noneSatisfy(w -> assertThat(w).contains("HOME"));
  }

  @Test
  void unknownFileKeyFailsNamingKeyAndFile() throws Exception {
    String path = file("http:\n  prot: 8080\n");

    ConfigException e = failure(loader().setConfigPath(path));

    assertThat(e.getMessage()).isEqualTo("unknown key 'http.prot' in " + path);
    assertThat(e.key()).isEqualTo("http.prot");
  }

  @Test
  void unknownStagePolicyKeyInFileFails() throws Exception {
    String path = file("stages:\n  vision:\n    concurency: 8\n");

    assertThat(failure(loader().setConfigPath(path)).getMessage())
      .isEqualTo("unknown key 'stages.vision.concurency' in " + path);
  }

  @Test
  void wrongTypeFailsNamingTheKey() throws Exception {
    String path = file("http:\n  port: abc\n");

    ConfigException e = failure(loader().setConfigPath(path));

    assertThat(e.getMessage()).isEqualTo("http.port: must be an integer between 0 and 65535, got \"abc\" (in " + path + ")");
  }

  @Test
  void wrongTypeFromEnvironmentNamesTheVariable() throws Exception {
    ConfigException e = failure(loader().setEnvironment(Map.of("ECO2_HTTP_PORT", "abc")));

    assertThat(e.getMessage()).isEqualTo("http.port: must be an integer between 0 and 65535, got \"abc\" (from ECO2_HTTP_PORT)");
  }

  @Test
  void stageSectionForAStageNotInThePipelineFailsListingThePipelinesStages() throws Exception {
    String path = file("pipeline:\n  stages: [a, b]\nstages:\n  c:\n    concurrency: 8\n");

    ConfigException e = failure(loader().setConfigPath(path));

    assertThat(e.key()).isEqualTo("stages.c");
    assertThat(e.getMessage()).isEqualTo("stages.c: no stage 'c' in pipeline.stages (known: a, b) (in " + path + ")");
  }

  @Test
  void loadOptionsGivesTheConfigurationAsTypedOptions() throws Exception {
    EngineOptions options = loader().setConfigPath(file("mode: distributed\nrole: worker\nscaling: {max-replicas: 4}\n"))
      .loadOptions(vertx).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertThat(options.getMode()).isEqualTo(Mode.DISTRIBUTED);
    assertThat(options.getRole()).isEqualTo(Role.WORKER);
    assertThat(options.getScaling().maxReplicas()).isEqualTo(4);
    assertThat(options.getScaling().scaleDownStabilization().toSeconds()).isEqualTo(60);
  }

  @Test
  void badStagePolicyValueNamesTheStageKey() throws Exception {
    ConfigException e = failure(loader().setConfigPath(file("stages:\n  vision:\n    concurrency: 0\n")));

    assertThat(e.key()).isEqualTo("stages.vision.concurrency");
    assertThat(e.getMessage()).startsWith("stages.vision.concurrency: ");
  }

  @Test
  void invalidPipelineStageNameFails() throws Exception {
    ConfigException e = failure(loader().setEnvironment(Map.of("ECO2_PIPELINE_STAGES", "vision,done")));

    assertThat(e.getMessage()).startsWith("pipeline.stages: must be a list of distinct stage names")
      .endsWith("got [\"vision\",\"done\"] (from ECO2_PIPELINE_STAGES)");
  }

  @Test
  void defaultModelNotInModelsFails() throws Exception {
    ConfigException e = failure(loader().setConfigPath(file("llm:\n  default-model: gpt-9\n")));

    assertThat(e.key()).isEqualTo("llm.default-model");
    assertThat(e.getMessage()).startsWith("llm.default-model: must be one of llm.models").contains("\"gpt-9\"");
  }

  @Test
  void explicitMissingFileFailsNamingThePath() throws Exception {
    String path = dir.resolve("nope.yaml").toString();

    assertThat(failure(loader().setConfigPath(path)).getMessage()).isEqualTo("config file not found: " + path);
  }

  @Test
  void malformedYamlFailsWithOneLine() throws Exception {
    String path = file("http:\n  port: [8080\n");

    assertThat(failure(loader().setConfigPath(path)).getMessage()).startsWith(path + ": not valid YAML: ");
  }

  @Test
  void overrideSetsRoleAfterTheEnvironment() throws Exception {
    JsonObject config = load(loader().setEnvironment(Map.of("ECO2_ROLE", "api")).setOverride("role", "worker"));

    assertThat(config.getString("role")).isEqualTo("worker");
  }

  @Test
  void overrideOfUnknownKeyFails() throws Exception {
    assertThat(failure(loader().setOverride("rolle", "worker")).getMessage())
      .isEqualTo("unknown key 'rolle' in command-line overrides");
  }

  @Test
  void variableNameFollowsTheContract() {
    assertThat(ConfigLoader.variableName("http.port")).isEqualTo("ECO2_HTTP_PORT");
    assertThat(ConfigLoader.variableName("llm.base-url")).isEqualTo("ECO2_LLM_BASE_URL");
    assertThat(ConfigLoader.variableName("stages.vision.concurrency")).isEqualTo("ECO2_STAGES_VISION_CONCURRENCY");
  }
}
