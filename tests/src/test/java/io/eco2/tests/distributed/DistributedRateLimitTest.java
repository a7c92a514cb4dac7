package io.eco2.tests.distributed;

import io.eco2.tests.fakeopenai.FakeOpenAiOptions;
import io.eco2.tests.fakeopenai.FakeOpenAiServer;
import io.eco2.tests.support.DistributedEnv;
import io.eco2.tests.support.EngineHarness;
import io.eco2.tests.support.EngineProcess;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.eco2.tests.support.EngineHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The global LLM rate limit holds across worker processes: two worker JVMs calling the fake
 * OpenAI-compatible server share one per-minute request budget through Redis, and calls beyond it wait
 * instead of reaching the provider.
 */
@ExtendWith(VertxExtension.class)
class DistributedRateLimitTest {

  private static final int REQUESTS_PER_MINUTE = 6;

  private DistributedEnv env;
  private FakeOpenAiServer llm;

  @BeforeEach
  void setUp(Vertx vertx, @TempDir Path dir) {
    env = new DistributedEnv(vertx, dir);
    llm = await(FakeOpenAiServer.start(vertx, new FakeOpenAiOptions().setPort(0).setApiKey("rate-limit-test-key")
      .setLatencyScale(0.01)));
  }

  @AfterEach
  void tearDown() {
    env.close();
    await(llm.close());
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
    EngineHarness.eventually(() -> llm.stats().requests() >= REQUESTS_PER_MINUTE);
    // Every call the budget allows has long arrived by now; the rest must still be waiting for the window.
    Thread.sleep(TimeUnit.SECONDS.toMillis(8));

    assertThat(llm.stats().requests()).isEqualTo(REQUESTS_PER_MINUTE);
    // Waiting for the budget is not failing: no job has ended with an error.
    for (String job : jobs) {
      assertThat(env.get(api.port(), "/api/v1/scan/" + job).bodyAsJsonObject().getString("status"))
        .as("status of " + job).isIn("queued", "running", "completed");
    }
  }
}
