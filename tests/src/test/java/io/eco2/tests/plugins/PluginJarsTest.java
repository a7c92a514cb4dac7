package io.eco2.tests.plugins;

import io.eco2.tests.support.Frames;
import io.eco2.testkit.Await;
import io.eco2.tests.support.EngineProcess;
import io.eco2.tests.support.SseClient;
import io.eco2.tests.support.SseFrame;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.eco2.tests.support.ApiChecks.assertApiError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example plugins (examples/), as separate jars in a plugins directory, loaded by the fat jar as an
 * operator runs it: an extra stage in the Eco² pipeline, and a complete pipeline of its own with its own
 * API surface. Each bad-plugin case stops start-up with one line.
 */
class PluginJarsTest {

  static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
  static final Path HAZARD_JAR = EXAMPLES.resolve("hazard-stage/target/hazard-stage.jar");
  static final Path TEXT_STATS_JAR = EXAMPLES.resolve("text-stats/target/text-stats.jar");

  private static Vertx vertx;
  private static WebClient client;

  @TempDir
  Path dir;

  @BeforeAll
  static void client() {
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
  }

  @AfterAll
  static void close() {
    Await.result(vertx.close(), "vertx closed");
  }

  /** A plugins directory holding copies of {@code jars} (the name in the directory first, then the jar). */
  private Path plugins(Path... jars) throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    for (Path jar : jars) {
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(jar + " is missing: build it with 'mvn package' (the examples modules)");
      }
      Files.copy(jar, plugins.resolve(jar.getFileName()));
    }
    return plugins;
  }

  private EngineProcess start(Path plugins, String yaml) throws Exception {
    Path config = Files.writeString(dir.resolve("application.yaml"), "http:\n  port: 0\nllm:\n  simulated:\n    latency-scale: 0.01\n" + yaml);
    return EngineProcess.start("plugins", config, "all", Map.of("ECO2_PLUGINS_DIR", plugins.toString()));
  }

  private static HttpResponse<Buffer> post(int port, String path, JsonObject body) {
    return Await.result(client.post(port, "127.0.0.1", path).putHeader("Content-Type", "application/json")
      .sendJsonObject(body), "POST " + path);
  }

  private static SseFrame completed(List<SseFrame> frames, String stage) {
    return frames.stream().filter(f -> stage.equals(f.event()) && "completed".equals(f.json().getString("status")))
      .findFirst().orElseThrow(() -> new AssertionError("no completed frame of " + stage + " in " + Frames.steps(frames)));
  }

  @Test
  void anExtraStageFromThePluginsDirectoryRunsBetweenVisionAndRuleAndItsOutputReachesStreamAndResult() throws Exception {
    String yaml = "pipeline:\n  stages: [vision, hazard, rule, answer, reward]\n"
      + "stages:\n  hazard:\n    concurrency: 8\n    options:\n      warning: \"bring it to the collection box\"\n";
    try (EngineProcess engine = start(plugins(HAZARD_JAR), yaml); SseClient sse = new SseClient(vertx, engine.awaitReady())) {
      int port = engine.port();
      HttpResponse<Buffer> submitted = post(port, "/api/v1/scan", new JsonObject().put("image_url", "https://example.com/used-battery.jpg"));
      assertThat(submitted.statusCode()).as(submitted.bodyAsString()).isEqualTo(200);
      String id = submitted.bodyAsJsonObject().getString("job_id");
      List<SseFrame> frames = sse.toEnd(id);

      assertThat(Frames.steps(frames)).containsExactly("queued/completed", "vision/started", "vision/completed",
        "hazard/started", "hazard/completed", "rule/started", "rule/completed", "answer/started", "answer/completed",
        "reward/started", "reward/completed", "done/completed");
      JsonObject check = new JsonObject().put("hazardous", true).put("major_category", "유해폐기물")
        .put("warning", "bring it to the collection box");
      SseFrame hazard = completed(frames, "hazard");
      assertThat(hazard.json().getInteger("progress")).isEqualTo(40);
      assertThat(hazard.json().getJsonObject("result")).isEqualTo(new JsonObject().put("hazard_check", check));
      JsonObject result = Await.result(client.get(port, "127.0.0.1", "/api/v1/scan/" + id + "/result").send(), "result")
        .bodyAsJsonObject();
      assertThat(result.getJsonObject("pipeline_result").getJsonObject("hazard_check")).isEqualTo(check);
      assertThat(engine.output()).contains("(hazard-stage.jar, SPI 1.0, stages [hazard])");
    }
  }

  @Test
  void aPipelineWithNoScanFieldsRunsFromAPluginWithItsOwnRequestSchemaAndResult() throws Exception {
    String yaml = "api:\n  surface: text-stats\npipeline:\n  stages: [tokenize, stats]\n";
    try (EngineProcess engine = start(plugins(TEXT_STATS_JAR), yaml); SseClient sse = new SseClient(vertx, engine.awaitReady())) {
      int port = engine.port();
      HttpResponse<Buffer> submitted = post(port, "/api/v1/texts", new JsonObject().put("text", "The cat and the hat.").put("top", 2));
      assertThat(submitted.statusCode()).as(submitted.bodyAsString()).isEqualTo(200);
      String id = submitted.bodyAsJsonObject().getString("job_id");
      assertThat(submitted.bodyAsJsonObject().getString("stream_url")).isEqualTo("/api/v1/texts/" + id + "/events");
      List<SseFrame> frames = SseClient.toEnd(Await.result(sse.openAsync("/api/v1/texts/" + id + "/events", null), "stream"),
        Duration.ofSeconds(30));

      assertThat(Frames.steps(frames)).containsExactly("queued/completed", "tokenize/started", "tokenize/completed",
        "stats/started", "stats/completed", "done/completed");
      JsonObject stats = new JsonObject().put("words", 5).put("distinct", 4).put("top", new JsonArray()
        .add(new JsonObject().put("word", "the").put("count", 2)).add(new JsonObject().put("word", "and").put("count", 1)));
      JsonObject result = Await.result(client.get(port, "127.0.0.1", "/api/v1/texts/" + id + "/result").send(), "result")
        .bodyAsJsonObject();
      assertThat(result).isEqualTo(new JsonObject().put("job_id", id).put("status", "completed").put("stats", stats).putNull("error"));

      assertApiError(post(port, "/api/v1/texts", new JsonObject().put("image_url", "https://example.com/a.jpg")), 400, "TEXT_REQUIRED");
      assertApiError(post(port, "/api/v1/scan", new JsonObject().put("image_url", "https://example.com/a.jpg")), 404, "NOT_FOUND");
    }
  }

  @Test
  void aPluginStageWithAnOptionItDoesNotKnowStopsStartUpWithOneLineNamingJarAndStage() throws Exception {
    Path plugins = plugins(HAZARD_JAR);
    String yaml = "pipeline:\n  stages: [vision, hazard, rule, answer, reward]\nstages:\n  hazard:\n    options:\n      colour: red\n";
    try (EngineProcess engine = start(plugins, yaml)) {
      assertThat(engine.awaitExit(60)).isEqualTo(2);
      assertThat(engine.lines()).contains("eco2-pipeline: stage 'hazard' (" + plugins.resolve("hazard-stage.jar")
        + ") failed to start: stages.hazard.options.colour: unknown option (known: hazardous-major, warning)");
    }
  }

  @Test
  void aStageNameDeclaredByTwoPluginJarsStopsStartUpWithOneLineNamingBoth() throws Exception {
    Path plugins = plugins(HAZARD_JAR);
    Files.copy(HAZARD_JAR, plugins.resolve("hazard-stage-copy.jar"));
    try (EngineProcess engine = start(plugins, "")) {
      assertThat(engine.awaitExit(60)).isEqualTo(2);
      assertThat(engine.lines()).contains("eco2-pipeline: " + plugins.resolve("hazard-stage.jar") + ": stage 'hazard' is declared twice: by "
        + plugins.resolve("hazard-stage-copy.jar") + " (com.example.hazard.HazardStage) and by " + plugins.resolve("hazard-stage.jar")
        + " (com.example.hazard.HazardStage); remove one of them");
    }
  }
}
