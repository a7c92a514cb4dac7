package io.eco2.tests.llm;

import io.eco2.testkit.Await;
import io.eco2.tests.fakeopenai.FakeOpenAiOptions;
import io.eco2.tests.fakeopenai.FakeOpenAiServer;
import io.eco2.tests.support.EmbeddedEngine;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.eco2.tests.support.EmbeddedEngines;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A model that strays from the bundled taxonomy, end to end through the engine and the OpenAI provider
 * against the fake OpenAI server (issue 12, "model drift degrades, never fails").
 */
@ExtendWith(EmbeddedEngineExtension.class)
class ModelDriftTest {

  private static final String KEY = "sk-eco2-drift-test";
  private static final String BOTTLE = "https://img.example/photos/plastic-bottle.jpg";

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
}
