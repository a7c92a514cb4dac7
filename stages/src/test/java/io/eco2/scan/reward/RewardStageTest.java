package io.eco2.scan.reward;

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

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class RewardStageTest {

  private static final JsonObject RULES = new JsonObject().put("id", "pet");

  private static JsonObject eligible(String middle, String minor) {
    return Jobs.classified("재활용폐기물", middle, minor).put("disposal_rules", RULES).put("final_answer", Jobs.answer());
  }

  private static RewardStage initialised(Vertx vertx, JsonObject options) throws Exception {
    RewardStage stage = new RewardStage();
    Await.result(stage.init(TestSetup.withOptions(vertx, FakeLlm.unused(), options)));
    return stage;
  }

  @Test
  void eligibleJobGetsTheMatchingCharacter(Vertx vertx) throws Exception {
    RewardStage stage = initialised(vertx, new JsonObject());
    JsonObject reward = Await.result(stage.process(new TestContext(vertx, "reward", eligible("플라스틱", "페트병"))))
      .getJsonObject("reward");
    assertThat(reward.fieldNames()).containsExactlyInAnyOrder("name", "dialog", "match_reason", "type");
    assertThat(reward.getString("name")).isEqualTo("페티");
    assertThat(reward.getString("match_reason")).contains("플라스틱");
    Await.result(stage.close());
  }

  @Test
  void ineligibleJobsGetNullWithoutAskingTheMatcher(Vertx vertx) throws Exception {
    AtomicInteger asked = new AtomicInteger();
    Await.result(vertx.eventBus().consumer("test.reward.counting", m -> asked.incrementAndGet()).completion());
    RewardStage stage = initialised(vertx, new JsonObject()
      .put("deploy-matcher", false).put("match-address", "test.reward.counting"));
    List<JsonObject> ineligible = List.of(
      Jobs.classified("일반폐기물", "일반쓰레기", null).put("disposal_rules", RULES).put("final_answer", Jobs.answer()),
      eligible(null, null),
      eligible("플라스틱", null).putNull("disposal_rules"),
      eligible("플라스틱", null).put("final_answer", Jobs.answer("내용물이 남아 있어요")));
    for (JsonObject job : ineligible) {
      JsonObject out = Await.result(stage.process(new TestContext(vertx, "reward", job)));
      assertThat(out.containsKey("reward")).isTrue();
      assertThat(out.getValue("reward")).isNull();
    }
    assertThat(asked).hasValue(0);
  }

  @Test
  void matcherTimeoutFailsWithRewardUnavailableAndFallsBackToNull(Vertx vertx) throws Exception {
    Await.result(vertx.eventBus().consumer("test.reward.silent", m -> { }).completion());
    RewardStage stage = initialised(vertx, new JsonObject()
      .put("deploy-matcher", false).put("match-address", "test.reward.silent").put("match-timeout-ms", 50));
    TestContext ctx = new TestContext(vertx, "reward", eligible("유리", null));
    Throwable failure = Await.failure(stage.process(ctx));
    assertThat(failure).isInstanceOf(StageFailure.class);
    assertThat(((StageFailure) failure).code()).isEqualTo("REWARD_UNAVAILABLE");
    assertThat(((StageFailure) failure).retryable()).isFalse();
    JsonObject fallback = stage.fallback(ctx, failure);
    assertThat(fallback.containsKey("reward")).isTrue();
    assertThat(fallback.getValue("reward")).isNull();
  }

  @Test
  void missingMatcherFailsWithRewardUnavailable(Vertx vertx) throws Exception {
    RewardStage stage = initialised(vertx, new JsonObject().put("deploy-matcher", false).put("match-address", "test.reward.nobody"));
    Throwable failure = Await.failure(stage.process(new TestContext(vertx, "reward", eligible("유리", null))));
    assertThat(((StageFailure) failure).code()).isEqualTo("REWARD_UNAVAILABLE");
  }

  @Test
  void twoInitsDeployOneMatcherAndTheLastCloseUndeploysIt(Vertx vertx) throws Exception {
    RewardStage first = initialised(vertx, new JsonObject());
    RewardStage second = initialised(vertx, new JsonObject());
    Await.result(first.init(TestSetup.withOptions(vertx, FakeLlm.unused(), new JsonObject())));
    assertThat(vertx.deploymentIDs()).hasSize(1);
    Await.result(first.close());
    assertThat(vertx.deploymentIDs()).hasSize(1);
    Await.result(second.close());
    assertThat(vertx.deploymentIDs()).isEmpty();
  }

  @Test
  void invalidMatchTimeoutFailsInitNamingTheKey(Vertx vertx) {
    RewardStage stage = new RewardStage();
    Throwable failure = stage.init(TestSetup.withOptions(vertx, FakeLlm.unused(), new JsonObject().put("match-timeout-ms", 0))).cause();
    assertThat(failure).hasMessageStartingWith("stages.reward.options.match-timeout-ms: ");
  }
}
