package io.eco2.tests.llm;

import io.eco2.engine.llm.LlmReply;
import io.eco2.engine.llm.LlmRequest;
import io.eco2.engine.llm.openai.OpenAiConfig;
import io.eco2.engine.llm.openai.OpenAiProvider;
import io.eco2.engine.llm.ratelimit.RateLimitGate;
import io.eco2.engine.llm.ratelimit.RateLimits;
import io.eco2.engine.llm.ratelimit.RedisRateLimiter;
import io.eco2.tests.fakeopenai.FakeOpenAiOptions;
import io.eco2.tests.fakeopenai.FakeOpenAiServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.eco2.tests.support.EngineHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The global rate limit across worker processes, measured at the fake server. Two in-process engines in
 * {@code mode: distributed} are not available yet, so this stands two {@link OpenAiProvider}s — each with
 * its own Redis client and {@link RedisRateLimiter}, exactly what two worker processes would hold — on
 * one Redis and one key prefix. The window is one second instead of a minute so that the test observes
 * several windows; the Lua script does not depend on the window's length.
 */
@ExtendWith(VertxExtension.class)
class DistributedRateLimitTest {

  @Test
  void twoWorkersSharingRedisNeverSendMoreThanTheLimitInAnyWindow(Vertx vertx) throws Exception {
    String prefix = "test-" + UUID.randomUUID();
    FakeOpenAiServer server = await(FakeOpenAiServer.start(vertx, new FakeOpenAiOptions().setApiKey(OpenAiPipelineTest.KEY)
      .setLatencyScale(0.005)));
    RateLimits limits = new RateLimits(5, 0, Duration.ofSeconds(1));
    OpenAiConfig config = OpenAiConfig.from(new JsonObject().put("base-url", server.baseUrl()).put("api-key", OpenAiPipelineTest.KEY))
      .withLimits(limits);
    List<OpenAiProvider> workers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:6379"));
      RateLimitGate gate = new RateLimitGate(vertx, new RedisRateLimiter(redis, prefix, limits), Duration.ofSeconds(20),
        new SimpleMeterRegistry());
      workers.add(new OpenAiProvider(vertx, config, gate, new SimpleMeterRegistry()));
    }
    try {
      long start = System.nanoTime();
      List<Future<LlmReply>> calls = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        calls.add(workers.get(i % 2).complete(new LlmRequest("vision").setModel("gpt-5.2")
          .setSystemPrompt("classify").setUserPrompt("사진 속 폐기물을 분류해 주세요.\n사용자 질문: 어떻게 버려요?")
          .setImageUrl("https://img.example/can-" + i + ".jpg")));
      }
      await(Future.all(calls));
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;

      assertThat(calls).allMatch(f -> f.result().content().containsKey("classification"));
      assertThat(server.stats().requests()).isEqualTo(20);
      // 20 calls at 5 per second: the last window cannot open before 3 s.
      assertThat(elapsedMs).isGreaterThanOrEqualTo(3000);
      // Measured at the server: arrival times trail grant times by a variable network delay, so the
      // window checked is the limiter's less 100 ms of slack.
      assertThat(server.stats().maxInAnyWindow(Duration.ofMillis(900).toNanos())).isLessThanOrEqualTo(5);
    } finally {
      for (OpenAiProvider w : workers) {
        await(w.close());
      }
      await(server.close());
      Redis admin = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:6379"));
      RedisAPI api = RedisAPI.api(admin);
      List<String> keys = new ArrayList<>();
      await(api.keys(prefix + ":*")).forEach(k -> keys.add(k.toString()));
      if (!keys.isEmpty()) {
        await(api.del(keys));
      }
      admin.close();
    }
  }
}
