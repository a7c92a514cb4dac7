package io.eco2.scan.rule;

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

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class RuleStageTest {

  private static RuleStage initialised(Vertx vertx) throws Exception {
    RuleStage stage = new RuleStage();
    Await.result(stage.init(TestSetup.of(vertx, FakeLlm.unused())));
    return stage;
  }

  @Test
  void initLoadsAtLeastTenRules(Vertx vertx) throws Exception {
    assertThat(initialised(vertx).rules().size()).isGreaterThanOrEqualTo(10);
  }

  @Test
  void returnsTheRuleOfTheClassifiedCategory(Vertx vertx) throws Exception {
    JsonObject out = Await.result(initialised(vertx).process(
      new TestContext(vertx, "rule", Jobs.classified("재활용폐기물", "플라스틱", "페트병"))));
    JsonObject rule = out.getJsonObject("disposal_rules");
    assertThat(rule.getString("id")).isEqualTo("pet");
    assertThat(rule.getJsonArray("steps").getList()).anyMatch(s -> s.toString().contains("라벨"));
  }

  @Test
  void returnsNullRulesForTheCategoryWithoutARule(Vertx vertx) throws Exception {
    JsonObject out = Await.result(initialised(vertx).process(
      new TestContext(vertx, "rule", Jobs.classified("대형폐기물", "건축폐자재", null))));
    assertThat(out.containsKey("disposal_rules")).isTrue();
    assertThat(out.getValue("disposal_rules")).isNull();
  }

  @Test
  void returnsNullRulesWithoutAMiddleCategory(Vertx vertx) throws Exception {
    JsonObject out = Await.result(initialised(vertx).process(
      new TestContext(vertx, "rule", Jobs.classified("재활용폐기물", null, null))));
    assertThat(out.getValue("disposal_rules")).isNull();
  }

  @Test
  void missingClassificationFailsPermanently(Vertx vertx) throws Exception {
    Throwable failure = Await.failure(initialised(vertx).process(new TestContext(vertx, "rule", new JsonObject())));
    assertThat(((StageFailure) failure).code()).isEqualTo("INVALID_INPUT");
    assertThat(((StageFailure) failure).retryable()).isFalse();
  }
}
