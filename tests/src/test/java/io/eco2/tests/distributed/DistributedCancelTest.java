package io.eco2.tests.distributed;

import io.eco2.testkit.Await;
import io.eco2.tests.support.DistributedEnv;
import io.eco2.tests.support.EngineProcess;
import io.eco2.tests.support.HistoryCheck;
import io.eco2.tests.support.SseFrame;
import io.eco2.tests.support.SseRecording;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CONTRACT §2 cancel across processes: the owner's {@code DELETE} reaches an API instance, the job's running
 * attempt is in a worker process, and the worker learns of it (its cancel watch) while the attempt still runs:
 * the job ends with exactly one {@code error} frame, code {@code CANCELLED}, long before the attempt would have
 * completed, and no later stage runs.
 */
class DistributedCancelTest {

  @RegisterExtension
  final DistributedEnv env = new DistributedEnv();

  @Test
  void aCancelOnTheApiEndsTheAttemptRunningInAWorkerProcess() throws Exception {
    // A vision call of about 20 s: a cancel that only took effect when it returned would show as vision/completed.
    var conf = env.config("app", new JsonObject().put("llm", new JsonObject().put("simulated", new JsonObject()
      .put("vision-mean-ms", 20_000).put("vision-p99-ms", 21_000))));
    EngineProcess api = env.start("api", conf, "api");
    env.start("worker", conf, "worker");
    String id = env.submit(api.port(), "https://example.com/photos/can.jpg");
    SseRecording stream = env.stream(api.port(), id, null);
    Await.until("vision running in the worker", () -> stream.events().stream()
      .anyMatch(f -> "vision".equals(f.event()) && "started".equals(f.json().getString("status"))));

    long cancelledAt = System.nanoTime();
    HttpResponse<Buffer> r = Await.result(env.web().delete(api.port(), "127.0.0.1", "/api/v1/scan/" + id).send());
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(202);
    List<SseFrame> frames = Await.result(stream.ended());
    long tookMs = (System.nanoTime() - cancelledAt) / 1_000_000;
    System.out.println("DISTRIBUTED-CANCEL error frame " + tookMs + " ms after the DELETE (vision would take ~20,000 ms)");

    HistoryCheck.assertWhole("cancelled job " + id, HistoryCheck.fromFrames(frames), "error");
    SseFrame error = frames.stream().filter(f -> "error".equals(f.event())).findFirst().orElseThrow();
    assertThat(error.json().getJsonObject("result").getString("code")).isEqualTo("CANCELLED");
    assertThat(error.json().getJsonObject("result").getString("stage")).isEqualTo("vision");
    assertThat(frames).as("the attempt did not run to its end, and no later stage ran")
      .noneMatch(f -> "vision".equals(f.event()) && "completed".equals(f.json().getString("status")))
      .noneMatch(f -> "rule".equals(f.event()) || "done".equals(f.event()));
    assertThat(env.get(api.port(), "/api/v1/scan/" + id + "/result").bodyAsJsonObject()
      .getJsonObject("error").getString("code")).isEqualTo("CANCELLED");
  }
}
