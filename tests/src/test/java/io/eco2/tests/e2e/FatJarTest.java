package io.eco2.tests.e2e;

import io.eco2.tests.support.Frames;
import io.eco2.testkit.Await;
import io.eco2.tests.support.EngineProcess;
import io.eco2.tests.support.SseClient;
import io.eco2.tests.support.SseFrame;
import io.eco2.tests.support.SseRecording;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The fat jar as a separate process: what a new user runs. */
@ExtendWith(VertxExtension.class)
class FatJarTest {

  private static String submit(WebClient client, int port, String imageUrl) {
    HttpResponse<Buffer> r = Await.result(client.post(port, "127.0.0.1", "/api/v1/scan")
      .putHeader("Content-Type", "application/json")
      .sendJsonObject(new JsonObject().put("image_url", imageUrl)));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject().getString("job_id");
  }

  @Test
  void theJarRunsOneScanThroughTheFourStagesEndToEnd(Vertx vertx, @TempDir Path dir) throws Exception {
    try (EngineProcess jar = EngineProcess.withConfig("jar", dir, "http:\n  port: 0\nllm:\n  simulated:\n    latency-scale: 0.02\n")) {
      int port = jar.awaitReady();
      WebClient client = WebClient.create(vertx);
      SseClient sse = new SseClient(vertx, port);
      String id = submit(client, port, "https://example.com/photos/pet-bottle.jpg");
      List<SseFrame> frames = sse.toEnd(id);

      assertThat(Frames.steps(frames)).containsExactly("queued/completed",
        "vision/started", "vision/completed", "rule/started", "rule/completed",
        "answer/started", "answer/completed", "reward/started", "reward/completed", "done/completed");
      JsonObject result = Await.result(client.get(port, "127.0.0.1", "/api/v1/scan/" + id + "/result").send()).bodyAsJsonObject();
      assertThat(result.getString("status")).isEqualTo("completed");
      assertThat(result.getJsonObject("pipeline_result").getJsonObject("classification_result")
        .getJsonObject("classification").getString("middle_category")).isEqualTo("플라스틱");
      assertThat(result.getJsonObject("pipeline_result").getJsonObject("final_answer").getJsonObject("disposal_steps")).isNotEmpty();
    }
  }

  @Test
  void sigtermLetsAnAcceptedJobFinishBeforeTheProcessExits(Vertx vertx, @TempDir Path dir) throws Exception {
    try (EngineProcess jar = EngineProcess.withConfig("jar", dir, "http:\n  port: 0\nllm:\n  simulated:\n    latency-scale: 0.2\npipeline:\n  drain-seconds: 20\n")) {
      int port = jar.awaitReady();
      WebClient client = WebClient.create(vertx);
      SseClient sse = new SseClient(vertx, port);
      String id = submit(client, port, "https://example.com/photos/glass-bottle.jpg");
      SseRecording stream = sse.open(id);

      jar.terminate();
      List<SseFrame> frames = stream.awaitEnd();
      jar.awaitExit();

      assertThat(Frames.steps(frames)).last().isEqualTo("done/completed");
      assertThat(jar.output()).contains("drained: every accepted job ended");
    }
  }

  @Test
  void aBadConfigurationValueStopsStartUpWithOneLineNamingTheKey(@TempDir Path dir) throws Exception {
    try (EngineProcess jar = EngineProcess.withConfig("jar", dir, "http:\n  port: abc\n")) {
      int exit = jar.awaitExit();

      assertThat(exit).isEqualTo(2);
      List<String> errors = jar.lines().stream().filter(l -> l.startsWith("eco2-pipeline:")).collect(Collectors.toList());
      assertThat(errors).hasSize(1);
      assertThat(errors.get(0)).contains("http.port");
    }
  }

  @Test
  void anUnknownArgumentStopsStartUpWithUsage() throws Exception {
    try (EngineProcess jar = EngineProcess.run("jar", "--rolle", "api")) {
      assertThat(jar.awaitExit()).isEqualTo(2);
      assertThat(jar.output()).contains("unknown argument '--rolle'").contains("usage:");
    }
  }
}
