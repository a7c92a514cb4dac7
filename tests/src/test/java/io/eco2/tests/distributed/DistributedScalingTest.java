package io.eco2.tests.distributed;

import io.eco2.testkit.Await;
import io.eco2.tests.support.DistributedEnv;
import io.eco2.tests.support.EngineProcess;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The autoscaler in the API process sees the work of worker processes through their reports in the real
 * Redis: in-flight work and the live worker count on {@code /scaling/v1/desired}, and a recommendation that
 * covers what is in flight.
 */
class DistributedScalingTest {

  @RegisterExtension
  final DistributedEnv env = new DistributedEnv();

  @Test
  void theApisAutoscalerCountsTheInflightWorkOfWorkerProcesses() throws Exception {
    // Vision held for ~45 s per job and one slot per worker: 6 jobs leave 2 in flight and 4 waiting.
    Path conf = env.config("app", new JsonObject()
      .put("llm", new JsonObject().put("simulated", new JsonObject().put("latency-scale", 10.0)))
      .put("stages", new JsonObject().put("vision", new JsonObject().put("instances", 1).put("concurrency", 1))));
    EngineProcess api = env.start("api", conf, "api");
    env.start("worker-1", conf, "worker");
    env.start("worker-2", conf, "worker");
    for (int i = 0; i < 6; i++) {
      env.submit(api.port(), "https://example.com/photos/can-" + i + ".jpg");
    }

    JsonObject seen = Await.until("both workers' vision slots busy and 4 jobs queued",
      () -> env.get(api.port(), "/scaling/v1/desired").bodyAsJsonObject(), view -> {
        JsonObject v = view.getJsonObject("stages").getJsonObject("vision");
        return v.getInteger("inflight") == 2 && v.getInteger("queue_depth") >= 4;
      });
    JsonObject vision = seen.getJsonObject("stages").getJsonObject("vision");

    assertThat(vision.getInteger("desired_replicas")).as(seen.encode()).isGreaterThanOrEqualTo(2);
    assertThat(seen.getJsonObject("workers").getInteger("desired_replicas")).isGreaterThanOrEqualTo(2);
    String metrics = env.get(api.port(), "/metrics").bodyAsString();
    assertThat(metrics).contains("pipeline_current_workers 2.0");
  }
}
