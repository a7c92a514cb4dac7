package io.eco2.tests.e2e;

import io.eco2.testkit.Await;
import io.eco2.tests.support.EngineProcess;
import io.eco2.tests.support.PromScrape;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /metrics} of the fat jar as operators run it, scraped during a run: every CONTRACT §6 metric with
 * its type and labels, the autoscaler's gauges, and the JVM and Vert.x meters of vertx-micrometer-metrics.
 */
@ExtendWith(VertxExtension.class)
class JarMetricsTest {

  @Test
  void everyContractMetricAndTheJvmAndVertxMetersAreScraped(Vertx vertx, @TempDir Path dir) throws Exception {
    try (EngineProcess jar = EngineProcess.withConfig("jar", dir, "http:\n  port: 0\nllm:\n  simulated:\n    latency-scale: 0.05\n")) {
      int port = jar.awaitReady();
      WebClient client = WebClient.create(vertx);
      var submitted = Await.result(client.post(port, "127.0.0.1", "/api/v1/scan").putHeader("Content-Type", "application/json")
        .sendJsonObject(new JsonObject().put("image_url", "https://example.com/photos/pet-bottle.jpg")));
      assertThat(submitted.statusCode()).isEqualTo(200);
      String id = submitted.bodyAsJsonObject().getString("job_id");
      Await.until("the job's result available",
        () -> Await.result(client.get(port, "127.0.0.1", "/api/v1/scan/" + id + "/result").send()).statusCode() == 200);

      PromScrape scrape = PromScrape.parse(Await.result(client.get(port, "127.0.0.1", "/metrics").send()).bodyAsString());
      Map<String, String> types = Map.of(
        "scan_sse_connections_active", "gauge",
        "pipeline_stage_queue_depth", "gauge",
        "pipeline_stage_inflight", "gauge",
        "pipeline_stage_duration_seconds", "histogram",
        "pipeline_stage_retries_total", "counter",
        "pipeline_jobs_total", "counter",
        "pipeline_job_duration_seconds", "histogram",
        "pipeline_desired_replicas", "gauge",
        "pipeline_desired_workers", "gauge");
      types.forEach((family, type) -> assertThat(scrape.type(family)).as("# TYPE of %s", family).isEqualTo(type));
      for (String stage : new String[] {"vision", "rule", "answer", "reward"}) {
        for (String family : new String[] {"pipeline_stage_queue_depth", "pipeline_stage_inflight",
            "pipeline_stage_retries_total", "pipeline_desired_replicas"}) {
          assertThat(scrape.value(family, Map.of("stage", stage))).as("%s{stage=%s}", family, stage).isPresent();
        }
        assertThat(scrape.samples("pipeline_stage_duration_seconds_bucket", Map.of("stage", stage, "outcome", "success")))
          .as("buckets of %s", stage).isNotEmpty().allSatisfy(s -> assertThat(s.labels()).containsKey("le"));
      }
      for (String outcome : new String[] {"completed", "degraded", "failed"}) {
        assertThat(scrape.value("pipeline_jobs_total", Map.of("outcome", outcome))).isPresent();
      }
      assertThat(scrape.value("pipeline_jobs_total", Map.of("outcome", "completed"))).contains(1.0);
      assertThat(scrape.value("pipeline_desired_workers", Map.of()).orElseThrow()).isGreaterThanOrEqualTo(1.0);
      Set<String> families = scrape.types().keySet();
      assertThat(families).as("JVM meters").anyMatch(f -> f.startsWith("jvm_memory_used"))
        .anyMatch(f -> f.startsWith("jvm_gc_")).anyMatch(f -> f.startsWith("jvm_threads_"));
      assertThat(families).as("Vert.x meters").anyMatch(f -> f.startsWith("vertx_http_server_"));
    }
  }
}
