package io.eco2.tests.distributed;

import com.rabbitmq.client.GetResponse;
import io.eco2.testkit.Await;
import io.eco2.tests.support.DistributedEnv;
import io.eco2.tests.support.EngineProcess;
import io.eco2.tests.support.HistoryCheck;
import io.eco2.tests.support.SseFrame;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CONTRACT §5 "A message that exhausts its retries goes to the stage's dead-letter queue {@code P.S.dlq} and the
 * job ends with an error event": a vision stage that always times out (1 ms limit, real simulated latency),
 * one retry, across real processes.
 */
class DeadLetterTest {

  @RegisterExtension
  final DistributedEnv env = new DistributedEnv();

  @Test
  void retryExhaustionLandsInTheDeadLetterQueueAndEndsTheJobWithError() throws Exception {
    Path conf = env.config("app", new JsonObject()
      .put("llm", new JsonObject().put("simulated", new JsonObject().put("latency-scale", 1)))
      .put("stages", new JsonObject().put("vision", new JsonObject()
        .put("timeout-ms", 1).put("retries", 1).put("backoff-initial-ms", 100).put("backoff-max-ms", 200))));
    EngineProcess api = env.start("api", conf, "api");
    env.start("worker", conf, "worker");

    String id = env.submit(api.port(), "https://example.com/photos/pet-bottle.jpg");
    List<SseFrame> frames = env.sse(api.port()).toEnd(id);

    List<HistoryCheck.Step> steps = HistoryCheck.fromFrames(frames);
    HistoryCheck.assertWhole("SSE of " + id, steps, "error");
    assertThat(steps).extracting(HistoryCheck.Step::name)
      .containsExactly("queued/completed", "vision/started", "vision/retrying", "error/failed");
    JsonObject error = frames.stream().filter(f -> "error".equals(f.event())).findFirst().orElseThrow().json();
    assertThat(error.getJsonObject("result").getString("code")).isEqualTo("TIMEOUT");
    assertThat(error.getJsonObject("result").getString("stage")).isEqualTo("vision");
    assertThat(HistoryCheck.fromStream(env.xrange(id))).isEqualTo(steps);

    JsonObject result = env.get(api.port(), "/api/v1/scan/" + id + "/result").bodyAsJsonObject();
    assertThat(result.getString("status")).isEqualTo("failed");
    assertThat(result.getJsonObject("error").getString("code")).isEqualTo("TIMEOUT");

    String dlq = env.prefix() + ".vision.dlq";
    // The dead-letter publish is confirmed before the error event is logged; poll all the same.
    Await.until("the job parked in " + dlq, () -> env.messageCount(dlq) >= 1);
    assertThat(env.messageCount(dlq)).as(dlq).isEqualTo(1);
    GetResponse parked = env.basicGet(dlq);
    var headers = parked.getProps().getHeaders();
    System.out.println("DLQ " + dlq + " headers=" + headers + " body=" + new String(parked.getBody()));
    assertThat(headers.get("x-reason").toString()).contains("TIMEOUT");
    assertThat(((Number) headers.get("x-attempts")).intValue()).isEqualTo(2);
    assertThat(new JsonObject(new String(parked.getBody())).encode()).contains(id);
    assertThat(env.messageCount(env.prefix() + ".vision")).isZero();
    assertThat(env.messageCount(env.prefix() + ".vision.retry")).isZero();
    assertThat(env.messageCount(env.prefix() + ".rule")).isZero();
  }
}
