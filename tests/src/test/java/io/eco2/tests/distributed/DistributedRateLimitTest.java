package io.eco2.tests.distributed;

import io.eco2.testkit.Await;
import io.eco2.tests.fakeopenai.FakeOpenAiOptions;
import io.eco2.tests.fakeopenai.FakeOpenAiServer;
import io.eco2.tests.support.DistributedEnv;
import io.eco2.tests.support.EngineProcess;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The global LLM rate limit holds across worker processes: two worker JVMs calling the fake
 * OpenAI-compatible server share one per-minute request budget through Redis, and calls beyond it wait
 * instead of reaching the provider.
 */
class DistributedRateLimitTest {

  private static final int REQUESTS_PER_MINUTE = 6;

  @RegisterExtension
  final DistributedEnv env = new DistributedEnv();
  private FakeOpenAiServer llm;

  @BeforeEach
  void startFakeLlm() {
    // On the environment's Vert.x instance, which closes it when the test ends.
    llm = Await.result(FakeOpenAiServer.start(env.vertx(), new FakeOpenAiOptions().setPort(0).setApiKey("rate-limit-test-key")
      .setLatencyScale(0.01)), "fake OpenAI server started");
  }

  @Test
  void twoWorkerProcessesTogetherStayWithinTheRequestsPerMinuteBudget() throws Exception {
    Path conf = env.config("app", new JsonObject()
      .put("llm", new JsonObject()
        .put("provider", "openai")
        .put("base-url", llm.baseUrl())
        .put("api-key", "rate-limit-test-key")
        .put("rate-limit", new JsonObject().put("requests-per-minute", REQUESTS_PER_MINUTE).put("max-wait-ms", 120_000))));
    EngineProcess api = env.start("api", conf, "api");
    env.start("worker-1", conf, "worker");
    env.start("worker-2", conf, "worker");

    // 5 jobs need 10 LLM calls (vision + answer each): twice what one minute allows.
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      jobs.add(env.submit(api.port(), "https://example.com/photos/pet-bottle-" + i + ".jpg"));
    }
    Await.until("the minute's requests made", () -> llm.stats().requests() >= REQUESTS_PER_MINUTE);
    // Holding is the behaviour: for 8 s, the rest must keep waiting for the window, across both workers.
    Await.holdsFor(Duration.ofSeconds(8), "no call beyond the minute's budget",
      () -> assertThat(llm.stats().requests()).isEqualTo(REQUESTS_PER_MINUTE));

    assertThat(llm.stats().requests()).isEqualTo(REQUESTS_PER_MINUTE);
    // Waiting for the budget is not failing: no job has ended with an error.
    for (String job : jobs) {
      assertThat(env.get(api.port(), "/api/v1/scan/" + job).bodyAsJsonObject().getString("status"))
        .as("status of " + job).isIn("queued", "running", "completed");
    }
  }
}
