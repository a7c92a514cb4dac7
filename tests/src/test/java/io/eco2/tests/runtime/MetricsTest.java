package io.eco2.tests.runtime;

import io.eco2.testkit.Await;
import io.eco2.tests.stages.ProbeStage;
import io.eco2.tests.support.EmbeddedEngine;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.eco2.tests.support.EmbeddedEngines;
import io.eco2.tests.support.PromScrape;
import io.eco2.tests.support.SseFrame;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.eco2.tests.support.Jobs.job;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /metrics} (CONTRACT §6): the engine's meters under their Prometheus names, with the right
 * {@code # TYPE} and labels; and the health endpoints of a running engine.
 */
@ExtendWith(EmbeddedEngineExtension.class)
class MetricsTest {

  private static EmbeddedEngine start(EmbeddedEngines engines) {
    return engines.start(EmbeddedEngine.pipeline(List.of("probe"), new JsonObject().put("probe",
      new JsonObject().put("retries", 2).put("backoff-initial-ms", 10).put("jitter", 0))));
  }

  /** Runs a clean job and a job that is retried once, each to its end. */
  private static void runJobs(EmbeddedEngine engine) {
    engine.sse().toEnd(engine.submitOk(job("sleep=1")));
    engine.sse().toEnd(engine.submitOk(job("fail=1")));
  }

  private static void assertType(PromScrape scrape, String family, String type) {
    assertThat(scrape.type(family)).as("# TYPE of %s in%n%s", family, scrape.text()).isEqualTo(type);
  }

  @Test
  void sseConnectionsActiveIsAGaugeOfOpenStreams(EmbeddedEngines engines) {
    String gate = UUID.randomUUID().toString();
    EmbeddedEngine engine = start(engines);
    try {
      assertType(PromScrape.of(engine), "scan_sse_connections_active", "gauge");
      Future<List<SseFrame>> stream = engine.sse().follow(engine.submitOk(job("gate=" + gate)));

      Await.until("one open stream counted", () -> PromScrape.of(engine).valueOrZero("scan_sse_connections_active", Map.of()) == 1.0);
      ProbeStage.open(gate);
      Await.result(stream);
      Await.until("no open stream counted", () -> PromScrape.of(engine).valueOrZero("scan_sse_connections_active", Map.of()) == 0.0);
    } finally {
      ProbeStage.open(gate);
    }
  }

  @Test
  void stageQueueDepthAndInflightAreGaugesPerStage(EmbeddedEngines engines) {
    String gate = UUID.randomUUID().toString();
    EmbeddedEngine engine = start(engines);
    try {
      PromScrape before = PromScrape.of(engine);
      assertType(before, "pipeline_stage_queue_depth", "gauge");
      assertType(before, "pipeline_stage_inflight", "gauge");
      assertThat(before.value("pipeline_stage_queue_depth", Map.of("stage", "probe"))).contains(0.0);
      assertThat(before.value("pipeline_stage_inflight", Map.of("stage", "probe"))).contains(0.0);

      String id = engine.submitOk(job("gate=" + gate));
      Await.until("one probe execution in flight", () -> PromScrape.of(engine).valueOrZero("pipeline_stage_inflight", Map.of("stage", "probe")) == 1.0);
      Await.until("probe's queue depth at 1", () -> PromScrape.of(engine).valueOrZero("pipeline_stage_queue_depth", Map.of("stage", "probe")) == 1.0);

      ProbeStage.open(gate);
      engine.sse().toEnd(id);
      Await.until("no probe execution in flight", () -> PromScrape.of(engine).valueOrZero("pipeline_stage_inflight", Map.of("stage", "probe")) == 0.0);
    } finally {
      ProbeStage.open(gate);
    }
  }

  @Test
  void stageDurationIsAHistogramByStageAndOutcome(EmbeddedEngines engines) {
    EmbeddedEngine engine = start(engines);
    runJobs(engine);

    PromScrape scrape = PromScrape.of(engine);
    assertType(scrape, "pipeline_stage_duration_seconds", "histogram");
    for (String outcome : List.of("success", "failure")) {
      List<PromScrape.Sample> buckets = scrape.samples("pipeline_stage_duration_seconds_bucket",
        Map.of("stage", "probe", "outcome", outcome));
      assertThat(buckets).as("buckets of outcome %s", outcome).isNotEmpty();
      assertThat(buckets).allSatisfy(b -> assertThat(b.labels()).containsKeys("stage", "outcome", "le"));
      assertThat(scrape.value("pipeline_stage_duration_seconds_bucket",
        Map.of("stage", "probe", "outcome", outcome, "le", "+Inf"))).as("+Inf bucket of %s", outcome)
        .contains(outcome.equals("success") ? 2.0 : 1.0);
    }
  }

  @Test
  void stageRetriesIsACounterPerStage(EmbeddedEngines engines) {
    EmbeddedEngine engine = start(engines);
    runJobs(engine);

    PromScrape scrape = PromScrape.of(engine);
    assertType(scrape, "pipeline_stage_retries_total", "counter");
    assertThat(scrape.value("pipeline_stage_retries_total", Map.of("stage", "probe"))).contains(1.0);
  }

  @Test
  void jobsIsACounterByOutcome(EmbeddedEngines engines) {
    EmbeddedEngine engine = start(engines);
    runJobs(engine);

    PromScrape scrape = PromScrape.of(engine);
    assertType(scrape, "pipeline_jobs_total", "counter");
    assertThat(scrape.value("pipeline_jobs_total", Map.of("outcome", "completed"))).contains(2.0);
    assertThat(scrape.value("pipeline_jobs_total", Map.of("outcome", "failed"))).contains(0.0);
    assertThat(scrape.value("pipeline_jobs_total", Map.of("outcome", "degraded"))).contains(0.0);
  }

  @Test
  void jobDurationIsAHistogram(EmbeddedEngines engines) {
    EmbeddedEngine engine = start(engines);
    runJobs(engine);

    PromScrape scrape = PromScrape.of(engine);
    assertType(scrape, "pipeline_job_duration_seconds", "histogram");
    assertThat(scrape.samples("pipeline_job_duration_seconds_bucket")).isNotEmpty()
      .allSatisfy(b -> assertThat(b.labels()).containsKey("le"));
    assertThat(scrape.value("pipeline_job_duration_seconds_bucket", Map.of("le", "+Inf"))).contains(2.0);
    assertThat(scrape.value("pipeline_job_duration_seconds_count", Map.of())).contains(2.0);
  }

  @Test
  void liveAndReadyAnswer200OnARunningEngine(EmbeddedEngines engines) {
    EmbeddedEngine engine = start(engines);
    assertThat(engine.get("/health/live").statusCode()).isEqualTo(200);
    assertThat(engine.get("/health/ready").statusCode()).isEqualTo(200);
  }
}
