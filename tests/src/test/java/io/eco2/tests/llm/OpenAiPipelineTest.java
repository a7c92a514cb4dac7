package io.eco2.tests.llm;

import io.eco2.tests.support.Frames;
import io.eco2.testkit.Await;
import io.eco2.testkit.LogCapture;
import io.eco2.tests.fakeopenai.FakeOpenAiOptions;
import io.eco2.tests.fakeopenai.FakeOpenAiServer;
import io.eco2.tests.fakeopenai.Fault;
import io.eco2.tests.support.EmbeddedEngine;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.eco2.tests.support.EmbeddedEngines;
import io.eco2.tests.support.SseFrame;
import io.eco2.tests.support.SseRecording;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Eco² pipeline with {@code llm.provider: openai} against the fake OpenAI server: the happy path, and
 * each way a real LLM API misbehaves (429 storms, hangs, malformed output, 400s), with the API key kept out
 * of every log line and event.
 */
@ExtendWith(EmbeddedEngineExtension.class)
class OpenAiPipelineTest {

  static final String KEY = "sk-eco2-test-Q7xV9zKp3LmN8wR2";
  private static final String BOTTLE = "https://img.example/photos/plastic-bottle.jpg";

  /** A fake OpenAI server on the test's Vert.x instance, which closes it after the test's engines. */
  private static FakeOpenAiServer fake(EmbeddedEngines engines, FakeOpenAiOptions options) {
    return Await.result(FakeOpenAiServer.start(engines.vertx(), options), "fake OpenAI server started");
  }

  private static FakeOpenAiOptions fast() {
    // Latency scaled down a hundredfold: vision ~45 ms, answer ~67 ms, same long tail.
    return new FakeOpenAiOptions().setApiKey(KEY).setLatencyScale(0.01);
  }

  /** The engine on the fake server, fast backoffs, with {@code extra} merged in. */
  private static EmbeddedEngine engine(EmbeddedEngines engines, FakeOpenAiServer server, JsonObject extra) {
    JsonObject fastRetry = new JsonObject().put("backoff-initial-ms", 50).put("backoff-max-ms", 100);
    JsonObject config = new JsonObject()
      .put("llm", new JsonObject().put("provider", "openai").put("base-url", server.baseUrl()).put("api-key", KEY)
        .put("retry-backoff-initial-ms", 50).put("retry-backoff-max-ms", 2000))
      .put("stages", new JsonObject().put("vision", fastRetry.copy()).put("answer", fastRetry.copy())
        .put("rule", fastRetry.copy()).put("reward", fastRetry.copy()));
    return engines.start(config.mergeIn(extra, true));
  }

  private static JsonObject scan(String url) {
    return new JsonObject().put("image_url", url).put("user_input", "이거 어떻게 버려요?");
  }

  @Test
  void aJobGoesThroughVisionAndAnswerOnTheOpenAiProvider(EmbeddedEngines engines) {
    FakeOpenAiServer server = fake(engines, fast());
    EmbeddedEngine h = engine(engines, server, new JsonObject());

    String job = h.submitOk(scan(BOTTLE));
    List<SseFrame> frames = h.sse().toEnd(job);

    assertThat(Frames.last(frames).event()).isEqualTo("done");
    JsonObject result = h.get("/api/v1/scan/" + job + "/result").bodyAsJsonObject();
    JsonObject data = result.encode().contains("final_answer") ? result : null;
    assertThat(data).isNotNull();
    assertThat(result.encode()).contains("classification_result").contains("user_answer");
    // The fake classifies "bottle" into the taxonomy: the vision reply passed the stage's validation.
    assertThat(result.encode()).contains("재활용폐기물");
    assertThat(server.stats().requests("vision")).isEqualTo(1);
    assertThat(server.stats().requests("answer")).isEqualTo(1);
    assertThat(server.stats().unauthorized()).isZero();
  }

  @Test
  void aRateLimitStormSlowsJobsDownButEveryOneCompletes(EmbeddedEngines engines) {
    FakeOpenAiServer server = fake(engines, fast().setRateLimitedRate(0.5).setRetryAfterSeconds(1));
    EmbeddedEngine h = engine(engines, server, new JsonObject()
      .put("stages", new JsonObject().put("vision", new JsonObject().put("retries", 4)).put("answer", new JsonObject().put("retries", 4))));

    List<SseRecording> streams = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      HttpResponse<Buffer> r = h.submit(scan(BOTTLE + "?n=" + i));
      assertThat(r.statusCode()).isEqualTo(200);
      // Follow each job while it runs.
      streams.add(h.sse().open(r.bodyAsJsonObject().getString("job_id")));
    }
    for (SseRecording stream : streams) {
      List<SseFrame> frames = stream.awaitEnd();
      assertThat(Frames.last(frames).event()).as("%s", frames).isEqualTo("done");
      assertThat(frames.stream().filter(SseFrame::isEvent).map(SseFrame::data))
        .noneMatch(d -> d.contains("HTTP 429") || d.contains("LLM_RATE_LIMITED") || d.contains("\"failed\""));
    }
    assertThat(server.stats().count(Fault.RATE_LIMITED)).isGreaterThan(0);
    String metrics = h.get("/metrics").bodyAsString();
    assertThat(metric(metrics, "llm_calls_total", "outcome=\"LLM_RATE_LIMITED\"")).isGreaterThan(0);
    assertThat(metric(metrics, "llm_calls_total", "outcome=\"OK\"")).isEqualTo(20);
  }

  @Test
  void theRequestsPerMinuteLimitMakesCallsWaitInsteadOfFailing(EmbeddedEngines engines) throws Exception {
    FakeOpenAiServer server = fake(engines, fast());
    EmbeddedEngine h = engine(engines, server, new JsonObject().put("llm", new JsonObject()
      .put("rate-limit", new JsonObject().put("requests-per-minute", 4).put("max-wait-ms", 2500))));

    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      jobs.add(h.submitOk(scan(BOTTLE + "?n=" + i)));
    }
    // 3 jobs need 6 calls; 4 fit in the minute, the other 2 wait for budget.
    Await.until("a call waiting for quota", () -> metric(h.get("/metrics").bodyAsString(), "llm_quota_waiting", "model=\"gpt-5.2\"") >= 1);
    Await.until("the 4 calls the minute allows", () -> server.stats().requests() >= 4);
    // Holding is the behaviour: for half a second, no fifth call may go out while the others wait for budget.
    Await.holdsFor(Duration.ofMillis(500), "no call beyond the limit", () -> assertThat(server.stats().requests()).isEqualTo(4));
    assertThat(server.stats().requests()).isEqualTo(4);
    assertThat(server.stats().inLast(60_000_000_000L)).isEqualTo(4);
    for (String job : jobs) {
      String status = h.get("/api/v1/scan/" + job).bodyAsString();
      assertThat(status).doesNotContain("\"error\"");
    }
    String metrics = h.get("/metrics").bodyAsString();
    assertThat(metric(metrics, "llm_quota_wait_seconds_count", "model=\"gpt-5.2\"")).isGreaterThanOrEqualTo(4);
  }

  @Test
  void aHungCallIsCutByTheStageTimeoutAndRetried(EmbeddedEngines engines) {
    FakeOpenAiServer server = fake(engines, fast());
    server.script(Fault.HANG);
    EmbeddedEngine h = engine(engines, server, new JsonObject()
      .put("stages", new JsonObject().put("vision", new JsonObject().put("timeout-ms", 700))));

    String job = h.submitOk(scan(BOTTLE));
    List<SseFrame> frames = h.sse().toEnd(job);

    assertThat(Frames.last(frames).event()).isEqualTo("done");
    assertThat(Frames.frames(frames, "vision", "retrying").size()).isEqualTo(1);
    assertThat(server.stats().requests("vision")).isEqualTo(2);
    // The timeout reset the HTTP request: the server saw the hung connection closed by the client.
    Await.until("the hung call abandoned", () -> server.stats().abandonedHangs() == 1);
  }

  @Test
  void cancellingAJobResetsItsRunningLlmRequest(EmbeddedEngines engines) {
    FakeOpenAiServer server = fake(engines, fast());
    server.script(Fault.HANG);
    EmbeddedEngine h = engine(engines, server, new JsonObject());

    String job = h.submitOk(scan(BOTTLE));
    Await.until("the vision call hanging in the server", () -> server.stats().requests("vision") == 1);
    assertThat(Await.result(h.client().delete("/api/v1/scan/" + job).send()).statusCode()).isEqualTo(202);
    List<SseFrame> frames = h.sse().toEnd(job);

    assertThat(Frames.last(frames).event()).isEqualTo("error");
    assertThat(Frames.last(frames).json().getJsonObject("result").getString("code")).isEqualTo("CANCELLED");
    // The cancel reset the HTTP request: the server saw the hung connection closed by the client.
    Await.until("the hung call abandoned", () -> server.stats().abandonedHangs() == 1);
    assertThat(server.stats().requests("vision")).as("not retried").isEqualTo(1);
  }

  @Test
  void aResponseTimeoutShorterThanTheStageTimeoutAlsoCutsAHang(EmbeddedEngines engines) {
    FakeOpenAiServer server = fake(engines, fast());
    server.script(Fault.HANG);
    EmbeddedEngine h = engine(engines, server, new JsonObject().put("llm", new JsonObject().put("response-timeout-ms", 500)));

    String job = h.submitOk(scan(BOTTLE));
    List<SseFrame> frames = h.sse().toEnd(job);

    assertThat(Frames.last(frames).event()).isEqualTo("done");
    assertThat(Frames.frames(frames, "vision", "retrying").size()).isEqualTo(1);
    Await.until("the hung call abandoned", () -> server.stats().abandonedHangs() == 1);
  }

  @Test
  void malformedOutputIsRetriedThenEndsTheJobWithInvalidLlmOutput(EmbeddedEngines engines) {
    FakeOpenAiServer server = fake(engines, fast().setMalformedRate(1.0));
    EmbeddedEngine h = engine(engines, server, new JsonObject());

    String job = h.submitOk(scan(BOTTLE));
    List<SseFrame> frames = h.sse().toEnd(job);

    SseFrame end = Frames.last(frames);
    assertThat(end.event()).isEqualTo("error");
    JsonObject error = end.json().getJsonObject("result");
    assertThat(error.getString("code")).isEqualTo("INVALID_LLM_OUTPUT");
    assertThat(error.getString("stage")).isEqualTo("vision");
    // The first attempt and the stage's two retries.
    assertThat(Frames.frames(frames, "vision", "retrying").size()).isEqualTo(2);
    assertThat(server.stats().requests("vision")).isEqualTo(3);
  }

  @Test
  void aBadRequestFailsTheJobAtOnceWithTheProvidersMessage(EmbeddedEngines engines) {
    FakeOpenAiServer server = fake(engines, fast());
    server.script(Fault.BAD_REQUEST);
    EmbeddedEngine h = engine(engines, server, new JsonObject());

    String job = h.submitOk(scan(BOTTLE));
    List<SseFrame> frames = h.sse().toEnd(job);

    SseFrame end = Frames.last(frames);
    assertThat(end.event()).isEqualTo("error");
    JsonObject error = end.json().getJsonObject("result");
    assertThat(error.getString("code")).isEqualTo("LLM_REQUEST_REJECTED");
    assertThat(error.getString("error")).contains("HTTP 400").contains("Invalid image_url: the image could not be downloaded.");
    assertThat(Frames.frames(frames, "vision", "retrying").size()).isZero();
    assertThat(server.stats().requests("vision")).isEqualTo(1);
  }

  @Test
  void theApiKeyAppearsInNoLogLineAndNoEvent(EmbeddedEngines engines) {
    List<String> seen = new ArrayList<>();
    try (LogCapture logs = LogCapture.everything()) {
      FakeOpenAiServer good = fake(engines, fast().setServerErrorRate(0.3));
      EmbeddedEngine ok = engine(engines, good, new JsonObject());
      String job = ok.submitOk(scan(BOTTLE));
      ok.sse().toEnd(job).forEach(f -> seen.add(String.valueOf(f.data())));
      seen.add(ok.get("/api/v1/scan/" + job + "/result").bodyAsString());

      // A server expecting another key answers 401 and echoes the key it was given.
      FakeOpenAiServer other = fake(engines, fast().setApiKey("sk-some-other-key"));
      EmbeddedEngine refused = engine(engines, other, new JsonObject());
      String job2 = refused.submitOk(scan(BOTTLE));
      List<SseFrame> frames = refused.sse().toEnd(job2);
      frames.forEach(f -> seen.add(String.valueOf(f.data())));
      seen.add(refused.get("/api/v1/scan/" + job2 + "/result").bodyAsString());
      seen.add(refused.get("/metrics").bodyAsString());

      assertThat(Frames.last(frames).json().getJsonObject("result").getString("code")).isEqualTo("LLM_REQUEST_REJECTED");
      assertThat(Frames.last(frames).data()).contains("Incorrect API key provided: ***");
      assertThat(other.stats().unauthorized()).isEqualTo(1);
      List<String> lines = logs.lines();
      // The capture works: the provider announced itself, and retries of the 500s were logged at DEBUG.
      assertThat(lines).anyMatch(l -> l.contains("llm openai: base-url"));
      assertThat(lines).noneMatch(l -> l.contains(KEY));
      assertThat(lines).noneMatch(l -> l.contains(KEY.substring(0, 16)));
    }
    assertThat(seen).isNotEmpty().noneMatch(s -> s.contains(KEY));
  }

  /** The value of the first sample of {@code name} whose labels contain {@code label}, or -1. */
  static double metric(String prometheus, String name, String label) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} ([0-9.eE+-]+)$").matcher(prometheus);
    double sum = -1;
    while (m.find()) {
      if (m.group(1).contains(label)) {
        sum = Math.max(sum, 0) + Double.parseDouble(m.group(2));
      }
    }
    return sum;
  }
}
