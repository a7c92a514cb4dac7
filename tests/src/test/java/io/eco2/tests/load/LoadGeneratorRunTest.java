package io.eco2.tests.load;

import io.eco2.tests.support.EmbeddedEngine;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.eco2.tests.support.EmbeddedEngines;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Short real runs of the generator against an engine in this JVM (simulated LLM at 1 % of its latency, so a
 * job takes about 0.1 s): every iteration completes, no stream breaks a rule, and the summary adds up.
 */
@ExtendWith(EmbeddedEngineExtension.class)
class LoadGeneratorRunTest {

  private static final JsonObject FAST = new JsonObject().put("llm", new JsonObject()
    .put("simulated", new JsonObject().put("latency-scale", 0.01)));

  private static JsonObject run(EmbeddedEngine engine, String... extra) throws Exception {
    String[] base = {"--url", "http://127.0.0.1:" + engine.port(), "--users", "5", "--ramp-up", "1s", "--hold", "3s",
      "--ramp-down", "1s", "--grace", "10s", "--think", "50ms-100ms", "--poll-interval", "100ms"};
    String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(extra)).toArray(String[]::new);
    LoadOptions options = LoadOptions.parse(args);
    return LoadGenerator.run(options, ImageUrls.BUILTIN, false).get(60, TimeUnit.SECONDS);
  }

  private static void assertClean(JsonObject s) {
    assertThat(s.getLong("iterations")).as(s.encodePrettily()).isGreaterThanOrEqualTo(10);
    assertThat(s.getLong("completed")).as(s.encodePrettily()).isEqualTo(s.getLong("iterations"));
    assertThat(s.getLong("partial") + s.getLong("failed")).isZero();
    assertThat(s.getJsonObject("violations").getLong("total")).isZero();
    assertThat(s.getDouble("completion_pct")).isEqualTo(100.0);
    assertThat(s.getJsonObject("latency_ms").getJsonObject("end_to_end").getLong("count")).isEqualTo(s.getLong("completed"));
  }

  @Test
  void streamModeCompletesEveryIterationWithoutViolations(EmbeddedEngines engines, @TempDir Path dir) throws Exception {
    EmbeddedEngine engine = engines.start(FAST);
    JsonObject s = run(engine, "--out", dir.resolve("run.json").toString());
    assertClean(s);
    JsonObject latency = s.getJsonObject("latency_ms");
    assertThat(latency.getJsonObject("first_frame").getLong("count")).isEqualTo(s.getLong("iterations"));
    // Each job's stage time is a lower bound of its end-to-end time.
    assertThat(latency.getJsonObject("provider_bound").getDouble("p50"))
      .isLessThanOrEqualTo(latency.getJsonObject("end_to_end").getDouble("p50")).isPositive();
    assertThat(s.getJsonObject("throughput").getDouble("closed_loop_bound_per_min")).isPositive();
    // The summary is written as JSON and as text.
    assertThat(new JsonObject(Files.readString(dir.resolve("run.json"))).getLong("iterations")).isEqualTo(s.getLong("iterations"));
    assertThat(Files.readString(dir.resolve("run.txt"))).contains("iterations " + s.getLong("iterations"));
  }

  @Test
  void pollModeCompletesEveryIteration(EmbeddedEngines engines) throws Exception {
    EmbeddedEngine engine = engines.start(FAST);
    JsonObject s = run(engine, "--mode", "poll");
    assertClean(s);
    assertThat(s.getJsonObject("latency_ms").getJsonObject("first_frame").getLong("count")).isZero();
    assertThat(s.getJsonObject("latency_ms").getJsonObject("result_fetch").getLong("count")).isGreaterThanOrEqualTo(s.getLong("iterations"));
  }

  @Test
  void idleModeHoldsStreamsAndMeasuresTheEventDelay(EmbeddedEngines engines) throws Exception {
    EmbeddedEngine engine = engines.start(FAST);
    JsonObject s = run(engine, "--mode", "idle", "--users", "20", "--trickle", "10");
    assertClean(s);
    JsonObject idle = s.getJsonObject("idle");
    assertThat(idle.getLong("streams_opened")).isGreaterThanOrEqualTo(20);
    assertThat(idle.getJsonObject("event_delay_ms").getLong("count")).isPositive();
    // Same JVM, same clock: an append reaches a local client well within a second.
    assertThat(idle.getJsonObject("event_delay_ms").getDouble("p50")).isLessThan(1000.0);
  }

  @Test
  void aRunAgainstNothingFailsItsIterationsAndStillEndsOnTime() throws Exception {
    long begin = System.nanoTime();
    JsonObject s = LoadGenerator.run(LoadOptions.parse("--url", "http://127.0.0.1:9", "--users", "3", "--ramp-up", "0s",
      "--hold", "1s", "--ramp-down", "0s", "--grace", "2s", "--think", "100ms"), ImageUrls.BUILTIN, false).get(30, TimeUnit.SECONDS);
    assertThat(System.nanoTime() - begin).isLessThan(TimeUnit.SECONDS.toNanos(10));
    assertThat(s.getLong("completed")).isZero();
    assertThat(s.getLong("failed")).isEqualTo(s.getLong("iterations")).isPositive();
    assertThat(s.getJsonObject("failures").getLong("submit_error")).isEqualTo(s.getLong("failed"));
  }
}
