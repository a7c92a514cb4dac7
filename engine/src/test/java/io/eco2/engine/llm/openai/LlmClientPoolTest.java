package io.eco2.engine.llm.openai;

import io.eco2.engine.config.EngineOptions;
import io.eco2.engine.llm.LlmProvider;
import io.eco2.engine.llm.LlmOptions;
import io.eco2.engine.llm.LlmProviderContext;
import io.eco2.engine.llm.LlmRequest;
import io.eco2.engine.stage.StageFailure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The LLM client's pool follows the stages (issue 14): by default it can hold every call the LLM stages may
 * start, and when a configured pool is too small the failure says so instead of blaming the network.
 */
class LlmClientPoolTest {

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private static JsonObject defaultStagesConfig() {
    JsonObject llm = new JsonObject().put("concurrency", 3072).put("instances", 2);
    JsonObject local = new JsonObject().put("concurrency", 1024).put("instances", 2);
    return new JsonObject()
      .put("pipeline", new JsonObject().put("stages", new JsonArray(List.of("vision", "rule", "answer", "reward"))))
      .put("stages", new JsonObject().put("vision", llm).put("answer", llm.copy()).put("rule", local).put("reward", local.copy()))
      .put("scaling", new JsonObject().put("llm-stages", new JsonArray(List.of("vision", "answer"))).put("max-concurrency", 4096));
  }

  private static EngineOptions defaultStages() {
    return new EngineOptions(defaultStagesConfig());
  }

  @Test
  void theDefaultPoolHoldsEveryCallTheLlmStagesMayStart() {
    // 2 instances x 3,072 for vision and for answer: the rule and reward stages make no LLM call.
    assertThat(LlmCapacity.callsInFlight(defaultStages())).isEqualTo(12_288);
    assertThat(LlmCapacity.resolve(LlmCapacity.AUTO, LlmCapacity.callsInFlight(defaultStages()))).isEqualTo(12_288);
    assertThat(LlmCapacity.resolve(300, LlmCapacity.callsInFlight(defaultStages()))).isEqualTo(300);
  }

  @Test
  void elasticConcurrencySizesThePoolForTheLargestConcurrencyItMayReach() {
    JsonObject config = defaultStagesConfig();
    config.getJsonObject("scaling").put("elastic-concurrency", true);
    assertThat(LlmCapacity.callsInFlight(new EngineOptions(config))).isEqualTo(2 * 4096 + 2 * 4096);
  }

  @Test
  void aPipelineWithoutListedLlmStagesCountsAllOfItsStages() {
    JsonObject config = defaultStagesConfig().put("pipeline", new JsonObject().put("stages", new JsonArray(List.of("rule"))));
    assertThat(LlmCapacity.callsInFlight(new EngineOptions(config))).isEqualTo(2 * 1024);
  }

  @Test
  void aTimedOutWaitForAPooledConnectionIsClientBusyNotUnreachable() {
    OpenAiConfig c = OpenAiConfig.from(new LlmOptions(new JsonObject().put("base-url", "http://127.0.0.1:9/v1"))).withPool(16, 16);
    StageFailure waited = OpenAiProvider.connectionFailure(
      new NoStackTraceTimeoutException("The timeout of 35000 ms has been exceeded when getting a connection to 127.0.0.1:9"), c);
    assertThat(waited.code()).isEqualTo(OpenAiProvider.CLIENT_BUSY);
    assertThat(waited.retryable()).isTrue();
    assertThat(waited.getMessage()).contains("16 pooled connections").contains("llm.max-connections").doesNotContain("cannot reach");

    StageFailure refused = OpenAiProvider.connectionFailure(new ConnectException("Connection refused"), c);
    assertThat(refused.code()).isEqualTo(ChatReplies.UNAVAILABLE);
    assertThat(refused.getMessage()).contains("cannot reach http://127.0.0.1:9/v1");
  }

  @Test
  void aFullWaitQueueFailsAtOnceNamingBothLimits() throws Exception {
    List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
    HttpServer server = vertx.createHttpServer().requestHandler(held::add).listen(0, "127.0.0.1")
      .await(10, TimeUnit.SECONDS);
    JsonObject llm = new JsonObject().put("provider", "openai").put("base-url", "http://127.0.0.1:" + server.actualPort() + "/v1")
      .put("max-connections", 1).put("max-wait-queue", 1).put("max-retries", 0);
    LlmProvider provider = new OpenAiProviderFactory()
      .create(new LlmProviderContext(vertx, new LlmOptions(llm), LlmCapacity.callsInFlight(defaultStages()), null, null,
        new SimpleMeterRegistry()));
    provider.start().await(10, TimeUnit.SECONDS);
    Promise<Void> cancel = Promise.promise();
    Future<?> first = provider.complete(new LlmRequest("vision").setUserPrompt("a").setCancelled(cancel.future()));
    Future<?> second = provider.complete(new LlmRequest("vision").setUserPrompt("b").setCancelled(cancel.future()));
    Future<?> third = provider.complete(new LlmRequest("vision").setUserPrompt("c").setCancelled(cancel.future()));

    Throwable err = third.transform(ar -> Future.succeededFuture(ar.cause())).await(10, TimeUnit.SECONDS);
    assertThat(err).isInstanceOf(StageFailure.class);
    assertThat(((StageFailure) err).code()).isEqualTo(OpenAiProvider.CLIENT_BUSY);
    assertThat(err.getMessage()).contains("llm.max-connections").contains("llm.max-wait-queue").doesNotContain("cannot reach");
    cancel.complete();
    first.transform(ar -> Future.succeededFuture()).await(10, TimeUnit.SECONDS);
    second.transform(ar -> Future.succeededFuture()).await(10, TimeUnit.SECONDS);
    provider.close().await(10, TimeUnit.SECONDS);
  }
}
