package io.eco2.scan.answer;

import io.eco2.engine.llm.LlmRequest;
import io.eco2.engine.stage.StageFailure;
import io.eco2.scan.support.FakeLlm;
import io.eco2.scan.support.Jobs;
import io.eco2.scan.support.TestContext;
import io.eco2.scan.support.TestSetup;
import io.eco2.testkit.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class AnswerStageTest {

  private static final JsonObject RULES = new JsonObject().put("id", "pet").put("title", "투명 페트병 분리배출");

  private static AnswerStage initialised(Vertx vertx, FakeLlm llm) throws Exception {
    AnswerStage stage = new AnswerStage();
    Await.result(stage.init(TestSetup.of(vertx, llm)));
    return stage;
  }

  @Test
  void nullRulesGiveTheFixedAnswerWithoutAnLlmCall(Vertx vertx) throws Exception {
    FakeLlm llm = FakeLlm.unused();
    JsonObject job = Jobs.classified("대형폐기물", "건축폐자재", null).putNull("disposal_rules");
    JsonObject out = Await.result(initialised(vertx, llm).process(new TestContext(vertx, "answer", job)));
    assertThat(llm.calls()).isZero();
    assertThat(out.getJsonObject("final_answer")).isEqualTo(AnswerStage.noRuleAnswer());
    assertThat(out.getJsonObject("final_answer").getJsonArray("insufficiencies").getList()).containsExactly("no matching disposal rule");
    assertThat(out.getJsonObject("final_answer").getJsonObject("disposal_steps").getString("단계1")).contains("지자체");
  }

  @Test
  void absentRulesCountAsNullRules(Vertx vertx) throws Exception {
    FakeLlm llm = FakeLlm.unused();
    Await.result(initialised(vertx, llm).process(new TestContext(vertx, "answer", Jobs.classified("재활용폐기물", null, null))));
    assertThat(llm.calls()).isZero();
  }

  @Test
  void rulesAreAnsweredByTheLlmFromClassificationRulesAndUserInput(Vertx vertx) throws Exception {
    FakeLlm llm = FakeLlm.replying(Jobs.answer());
    JsonObject job = Jobs.classified("재활용폐기물", "플라스틱", "페트병").put("disposal_rules", RULES);
    JsonObject out = Await.result(initialised(vertx, llm).process(new TestContext(vertx, "answer", job)));
    assertThat(out.getJsonObject("final_answer")).isEqualTo(Jobs.answer());
    LlmRequest request = llm.requests().get(0);
    assertThat(request.task()).isEqualTo("answer");
    assertThat(request.input().fieldNames()).containsExactlyInAnyOrder("classification_result", "disposal_rules", "user_input");
    assertThat(request.input().getJsonObject("disposal_rules")).isEqualTo(RULES);
    assertThat(request.userPrompt()).contains("투명 페트병 분리배출", "어떻게 버려요?");
    assertThat(request.responseSchema()).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "{\"answer\": \"페트병은 라벨을 떼세요\"}",
    "{\"disposal_steps\": [\"비우기\"], \"insufficiencies\": [], \"user_answer\": \"a\"}",
    "{\"disposal_steps\": {\"단계1\": 3}, \"insufficiencies\": [], \"user_answer\": \"a\"}",
    "{\"disposal_steps\": {\"step1\": \"비우기\"}, \"insufficiencies\": [], \"user_answer\": \"a\"}",
    "{\"disposal_steps\": {\"단계1\": \"비우기\"}, \"insufficiencies\": \"없음\", \"user_answer\": \"a\"}",
    "{\"disposal_steps\": {\"단계1\": \"비우기\"}, \"insufficiencies\": []}",
  })
  void malformedReplyFailsRetryablyWithInvalidLlmOutput(String reply, Vertx vertx) throws Exception {
    JsonObject job = Jobs.classified("재활용폐기물", "플라스틱", "페트병").put("disposal_rules", RULES);
    Throwable failure = Await.failure(initialised(vertx, FakeLlm.replying(new JsonObject(reply)))
      .process(new TestContext(vertx, "answer", job)));
    assertThat(failure).isInstanceOf(StageFailure.class);
    assertThat(((StageFailure) failure).code()).isEqualTo("INVALID_LLM_OUTPUT");
    assertThat(((StageFailure) failure).retryable()).isTrue();
  }
}
