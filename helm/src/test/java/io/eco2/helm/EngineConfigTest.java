package io.eco2.helm;

import io.eco2.engine.config.ConfigLoader;
import io.eco2.engine.runtime.PipelineOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ConfigMap's {@code application.yaml} is a configuration the engine itself accepts (its own loader and
 * validator and the image's Eco² defaults layer, with the Secret's variables as the pods get them), for every
 * values file; and the engine defaults the chart computes the grace period from are the image's.
 */
class EngineConfigTest {

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static Stream<String> valuesFiles() {
    return RenderedChart.ciValuesFiles();
  }

  @ParameterizedTest
  @MethodSource("valuesFiles")
  void theRenderedConfigurationIsAcceptedByTheEngineInBothRoles(String values, @TempDir Path dir) throws Exception {
    RenderedChart chart = RenderedChart.render(values);
    Map<String, Object> configMap = ChartObjects.configMap(chart);
    Path file = dir.resolve("application.yaml");
    Files.writeString(file, (String) ChartObjects.data(configMap).get("application.yaml"));
    for (String role : new String[] {"api", "worker"}) {
      JsonObject config = ConfigLoader.create().setConfigPath(file.toString()).setWorkingDirectory(dir)
        .setEnvironment(Map.of("ECO2_REDIS_URL", "redis://redis:6379", "ECO2_RABBITMQ_URL", "amqp://guest:guest@rabbitmq:5672"))
        .setOverride("role", role)
        .load(vertx).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(config.getString("mode")).isEqualTo("distributed");
      assertThat(config.getString("role")).isEqualTo(role);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void theChartsEngineDefaultsAreTheEngines() throws Exception {
    Map<String, Object> engine;
    try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(ConfigLoader.DEFAULTS_RESOURCE)) {
      engine = new Yaml().load(in);
    }
    Map<String, Object> chart = (Map<String, Object>) ((Map<String, Object>) new Yaml()
      .load(Files.readString(RenderedChart.CHART.resolve("values.yaml")))).get("engineDefaults");
    int longest = ((Map<String, Object>) engine.get("stages")).values().stream()
      .mapToInt(s -> ((Number) ((Map<String, Object>) s).get("timeout-ms")).intValue()).max().orElseThrow();
    // pipeline.drain-seconds has no line in the defaults file: its one source is the DEFAULT_ constant.
    assertThat(((Number) chart.get("drainSeconds")).longValue()).isEqualTo(PipelineOptions.DEFAULT_DRAIN_SECONDS);
    assertThat(chart.get("longestStageTimeoutMs")).isEqualTo(longest);
  }
}
