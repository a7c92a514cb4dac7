package io.eco2.tests.llm;

import io.eco2.scan.answer.AnswerStage;
import io.eco2.testkit.Await;
import io.eco2.tests.fakeopenai.FakeOpenAiOptions;
import io.eco2.tests.fakeopenai.FakeOpenAiServer;
import io.eco2.tests.fakeopenai.Fault;
import io.eco2.tests.support.EmbeddedEngine;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.eco2.tests.support.EmbeddedEngines;
import io.eco2.tests.support.Frames;
import io.eco2.tests.support.PromScrape;
import io.eco2.tests.support.SseFrame;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A model that strays from the bundled taxonomy, end to end through the engine and the OpenAI provider
 * against the fake OpenAI server (issue 12, "model drift degrades, never fails").
 */
@ExtendWith(EmbeddedEngineExtension.class)
class ModelDriftTest {

  private static final String KEY = "sk-eco2-drift-test";
  private static final String BOTTLE = "https://img.example/photos/plastic-bottle.jpg";
  private static final String CAN = "https://img.example/photos/soda-can.jpg";

  private static FakeOpenAiServer fake(EmbeddedEngines engines) {
    return Await.result(FakeOpenAiServer.start(engines.vertx(), new FakeOpenAiOptions().setApiKey(KEY).setLatencyScale(0.01)),
      "fake OpenAI server started");
  }

  private static EmbeddedEngine engine(EmbeddedEngines engines, FakeOpenAiServer server) {
    JsonObject fastRetry = new JsonObject().put("backoff-initial-ms", 50).put("backoff-max-ms", 100);
    return engines.start(new JsonObject()
      .put("llm", new JsonObject().put("provider", "openai").put("base-url", server.baseUrl()).put("api-key", KEY))
      .put("stages", new JsonObject().put("vision", fastRetry.copy()).put("answer", fastRetry.copy())));
  }

  private static JsonObject scan(String url) {
    return new JsonObject().put("image_url", url).put("user_input", "이거 어떻게 버려요?");
  }

  @Test
  void theVisionSchemaSentToTheModelIsStrictAndListsTheTaxonomy(EmbeddedEngines engines) {
    FakeOpenAiServer server = fake(engines);
    EmbeddedEngine h = engine(engines, server);

    h.sse().toEnd(h.submitOk(scan(BOTTLE)));

    JsonObject format = server.recentBodies("vision").get(0).getJsonObject("response_format").getJsonObject("json_schema");
    assertThat(format.getBoolean("strict")).isTrue();
    JsonObject classification = format.getJsonObject("schema").getJsonObject("properties")
      .getJsonObject("classification").getJsonObject("properties");
    assertThat(classification.getJsonObject("major_category").getJsonArray("enum").getList())
      .contains("재활용폐기물", "음식물류", "전자제품");
    assertThat(classification.getJsonObject("middle_category").getJsonArray("anyOf").getJsonObject(0)
      .getJsonArray("enum").getList()).contains("금속캔", "음식물쓰레기", "건축폐자재");
  }

  @Test
  void aReplyOffTheTaxonomyIsAskedAgainInTheSameAttemptWithTheErrorQuoted(EmbeddedEngines engines) {
    FakeOpenAiServer server = fake(engines);
    server.script(Fault.OFF_TAXONOMY);
    EmbeddedEngine h = engine(engines, server);

    String job = h.submitOk(scan(BOTTLE));
    List<SseFrame> frames = h.sse().toEnd(job);

    assertThat(Frames.last(frames).event()).isEqualTo("done");
    assertThat(Frames.frames(frames, "vision", "retrying")).isEmpty();
    assertThat(server.stats().requests("vision")).isEqualTo(2);
    String again = server.recentBodies("vision").get(1).getJsonArray("messages").encode();
    assertThat(again).contains("got \\\"기타\\\"").contains("must be null or one of [플라스틱");
    JsonObject result = result(h, job);
    assertThat(result.getJsonArray("degraded")).isEmpty();
    assertThat(classification(result).getString("middle_category")).isEqualTo("플라스틱");
  }

  @Test
  void aSynonymTheModelKeepsIsMappedAndTheJobGetsItsRule(EmbeddedEngines engines) {
    FakeOpenAiServer server = fake(engines);
    server.script(Fault.OFF_TAXONOMY_SYNONYM, Fault.OFF_TAXONOMY_SYNONYM);
    EmbeddedEngine h = engine(engines, server);

    String job = h.submitOk(scan(CAN));
    List<SseFrame> frames = h.sse().toEnd(job);

    assertThat(Frames.last(frames).event()).isEqualTo("done");
    JsonObject result = result(h, job);
    assertThat(result.getString("status")).isEqualTo("completed");
    assertThat(result.getJsonArray("degraded")).isEmpty();
    assertThat(classification(result).getString("middle_category")).isEqualTo("금속캔");
    assertThat(result.getJsonObject("pipeline_result").getJsonObject("disposal_rules")).isNotNull();
    assertThat(server.stats().requests("vision")).isEqualTo(2);
    assertThat(server.stats().requests("answer")).isEqualTo(1);
  }

  @Test
  void aCategoryNothingMapsEndsDoneDegradedByVisionWithTheNoRuleAnswer(EmbeddedEngines engines) {
    FakeOpenAiServer server = fake(engines);
    server.script(Fault.OFF_TAXONOMY, Fault.OFF_TAXONOMY);
    EmbeddedEngine h = engine(engines, server);

    String job = h.submitOk(scan(BOTTLE));
    List<SseFrame> frames = h.sse().toEnd(job);

    assertThat(Frames.last(frames).event()).as("%s", frames).isEqualTo("done");
    assertThat(Frames.frames(frames, "vision", "retrying")).as("not a retry of the stage").isEmpty();
    JsonObject result = result(h, job);
    assertThat(result.getString("status")).isEqualTo("completed");
    assertThat(result.getJsonArray("degraded").getList()).containsExactly("vision");
    assertThat(result.getValue("error")).isNull();
    JsonObject pipeline = result.getJsonObject("pipeline_result");
    assertThat(pipeline.containsKey("disposal_rules")).isTrue();
    assertThat(pipeline.getValue("disposal_rules")).isNull();
    assertThat(pipeline.getJsonObject("final_answer")).isEqualTo(AnswerStage.noRuleAnswer());
    assertThat(classification(result).getString("middle_category")).as("as the model said it").isEqualTo("기타");
    assertThat(result.getValue("reward")).isNull();
    assertThat(server.stats().requests("vision")).isEqualTo(2);
    assertThat(server.stats().requests("answer")).as("the fixed answer needs no model").isZero();
    assertThat(PromScrape.of(h).valueOrZero("pipeline_jobs_total", Map.of("outcome", "degraded"))).isEqualTo(1.0);
  }

  private static JsonObject result(EmbeddedEngine h, String job) {
    return h.get("/api/v1/scan/" + job + "/result").bodyAsJsonObject();
  }

  private static JsonObject classification(JsonObject result) {
    return result.getJsonObject("pipeline_result").getJsonObject("classification_result").getJsonObject("classification");
  }
}
