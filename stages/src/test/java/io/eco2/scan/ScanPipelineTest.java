package io.eco2.scan;

import io.eco2.engine.llm.LlmProvider;
import io.eco2.engine.llm.LlmRequest;
import io.eco2.engine.stage.Stage;
import io.eco2.scan.answer.AnswerStage;
import io.eco2.scan.llm.SimulatedLlmProviderFactory;
import io.eco2.scan.support.TestContext;
import io.eco2.scan.support.TestSetup;
import io.eco2.testkit.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/** The four stages as the engine would chain them, found through ServiceLoader, on the simulated LLM. */
@ExtendWith(VertxExtension.class)
class ScanPipelineTest {

  private static Map<String, Stage> stages(Vertx vertx, LlmProvider llm) throws Exception {
    Map<String, Stage> byName = new LinkedHashMap<>();
    for (Stage stage : ServiceLoader.load(Stage.class)) {
      Await.result(stage.init(TestSetup.of(vertx, llm)));
      byName.put(stage.name(), stage);
    }
    return byName;
  }

  private static JsonObject run(Vertx vertx, Map<String, Stage> stages, String url) throws Exception {
    JsonObject job = new JsonObject().put("image_url", url).put("user_input", "어떻게 버려요?");
    for (String name : List.of("vision", "rule", "answer", "reward")) {
      job.mergeIn(Await.result(stages.get(name).process(new TestContext(vertx, name, job.copy()))));
    }
    return job;
  }

  @Test
  void serviceLoaderFindsTheFourStages(Vertx vertx) throws Exception {
    assertThat(stages(vertx, new SimulatedLlmProviderFactory().create(vertx, new JsonObject())).keySet())
      .containsExactlyInAnyOrder("vision", "rule", "answer", "reward");
  }

  @Test
  void bottleJobProducesEveryContractField(Vertx vertx) throws Exception {
    LlmProvider llm = new SimulatedLlmProviderFactory().create(vertx, new JsonObject().put("simulated", new JsonObject().put("latency-scale", 0)));
    JsonObject job = run(vertx, stages(vertx, llm), "https://cdn.example.com/photos/bottle.jpg");
    assertThat(job.getJsonObject("disposal_rules").getString("id")).isEqualTo("pet");
    JsonObject answer = job.getJsonObject("final_answer");
    assertThat(answer.getJsonObject("disposal_steps").fieldNames()).contains("단계1", "단계2", "단계3", "단계4");
    assertThat(job.containsKey("reward")).isTrue();
    if (answer.getJsonArray("insufficiencies").isEmpty()) {
      assertThat(job.getJsonObject("reward").getString("name")).isEqualTo("페티");
    } else {
      assertThat(job.getValue("reward")).isNull();
    }
  }

  @Test
  void categoryWithoutRuleEndsWithTheFixedAnswerAndNoReward(Vertx vertx) throws Exception {
    LlmProvider llm = new SimulatedLlmProviderFactory().create(vertx, new JsonObject().put("simulated", new JsonObject().put("latency-scale", 0)));
    JsonObject job = run(vertx, stages(vertx, llm), "https://cdn.example.com/photos/broken-brick.jpg");
    assertThat(job.getJsonObject("classification_result").getJsonObject("classification").getString("middle_category")).isEqualTo("건축폐자재");
    assertThat(job.getValue("disposal_rules")).isNull();
    assertThat(job.getJsonObject("final_answer")).isEqualTo(AnswerStage.noRuleAnswer());
    assertThat(job.getValue("reward")).isNull();
  }

  @Test
  void simulatedLlmGivesTheSameAnswersWhenCalledFromManyEventLoopsAtOnce(Vertx vertx) throws Exception {
    LlmProvider llm = new SimulatedLlmProviderFactory().create(vertx, new JsonObject().put("simulated",
      new JsonObject().put("vision-mean-ms", 20).put("vision-p99-ms", 40)));
    List<Future<JsonObject>> replies = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      Context loop = vertx.getOrCreateContext();
      Promise<JsonObject> reply = Promise.promise();
      String url = "https://cdn.example.com/u/" + (i % 20) + ".jpg";
      loop.runOnContext(v -> llm.complete(new LlmRequest("vision").setImageUrl(url)).map(r -> r.content()).onComplete(reply));
      replies.add(reply.future());
    }
    Await.result(Future.all(replies));
    for (int i = 20; i < replies.size(); i++) {
      assertThat(replies.get(i).result()).isEqualTo(replies.get(i % 20).result());
    }
  }
}
