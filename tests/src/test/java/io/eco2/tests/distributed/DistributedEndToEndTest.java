package io.eco2.tests.distributed;

import io.eco2.testkit.Await;
import io.eco2.tests.support.DistributedEnv;
import io.eco2.tests.support.EngineProcess;
import io.eco2.tests.support.HistoryCheck;
import io.eco2.tests.support.SseFrame;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One API and two workers as separate JVMs from the fat jar, talking only through the real RabbitMQ and Redis:
 * jobs submitted to the API are processed by the workers, streamed by the API, and laid out in Redis and
 * RabbitMQ as CONTRACT §4 and §5 name them.
 */
class DistributedEndToEndTest {

  @RegisterExtension
  final DistributedEnv env = new DistributedEnv();

  @Test
  void oneApiAndTwoWorkerProcessesRunJobsEndToEnd() throws Exception {
    Path conf = env.config("app", new JsonObject()
      .put("llm", new JsonObject().put("simulated", new JsonObject().put("latency-scale", 0.05))));
    EngineProcess api = env.start("api", conf, "api");
    EngineProcess w1 = env.start("worker-1", conf, "worker");
    EngineProcess w2 = env.start("worker-2", conf, "worker");
    assertThat(api.output()).contains("mode distributed, role api");
    assertThat(w1.output()).contains("mode distributed, role worker");

    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ids.add(env.submit(api.port(), "https://example.com/photos/pet-bottle-" + i + ".jpg"));
    }
    for (String id : ids) {
      List<SseFrame> frames = Await.result(env.stream(api.port(), id, null).ended());
      HistoryCheck.assertWhole("SSE of " + id, HistoryCheck.fromFrames(frames), "done");
      assertThat(HistoryCheck.fromFrames(frames)).extracting(HistoryCheck.Step::name).containsExactly("queued/completed",
        "vision/started", "vision/completed", "rule/started", "rule/completed",
        "answer/started", "answer/completed", "reward/started", "reward/completed", "done/completed");
      // The stream the client saw is the Redis stream, id for id.
      assertThat(HistoryCheck.fromFrames(frames)).isEqualTo(HistoryCheck.fromStream(env.xrange(id)));

      var result = env.get(api.port(), "/api/v1/scan/" + id + "/result");
      assertThat(result.statusCode()).isEqualTo(200);
      assertThat(result.bodyAsJsonObject().getString("status")).isEqualTo("completed");
      assertThat(new JsonObject(env.redis("GET", env.prefix() + ":result:" + id).toString()))
        .isEqualTo(result.bodyAsJsonObject());
      assertThat(env.redis("EXISTS", env.prefix() + ":state:" + id).toInteger()).isEqualTo(1);
      assertThat(env.redis("PTTL", env.prefix() + ":events:" + id).toLong()).isPositive();
    }

    // The queues of CONTRACT §5 under this test's prefix, all drained.
    for (String stage : DistributedEnv.STAGES) {
      assertThat(env.messageCount(env.prefix() + "." + stage)).as(stage).isZero();
      assertThat(env.messageCount(env.prefix() + "." + stage + ".retry")).as(stage + ".retry").isZero();
      assertThat(env.messageCount(env.prefix() + "." + stage + ".dlq")).as(stage + ".dlq").isZero();
    }
    // Each process is connected to RabbitMQ under its own name.
    assertThat(DistributedEnv.rabbitConnectionPids(api)).isNotEmpty();
    assertThat(DistributedEnv.rabbitConnectionPids(w1)).isNotEmpty();
    assertThat(DistributedEnv.rabbitConnectionPids(w2)).isNotEmpty();
    // Both workers took part: each logged stage events (their stage-duration histograms count executions).
    for (EngineProcess w : List.of(w1, w2)) {
      String metrics = env.get(w.port(), "/metrics").bodyAsString();
      double executed = io.eco2.tests.support.PromScrape.parse(metrics)
        .samples("pipeline_stage_duration_seconds_count").stream().mapToDouble(s -> s.value()).sum();
      System.out.println("E2E worker=" + w.label() + " stage-executions=" + executed);
      assertThat(executed).as(w.label() + " executed stages").isPositive();
    }
    assertThat(env.redisClientsOf(api)).extracting(c -> c.get("name")).contains("eco2", "eco2-live");
  }
}
