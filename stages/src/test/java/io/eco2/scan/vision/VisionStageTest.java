package io.eco2.scan.vision;

import io.eco2.engine.llm.LlmProvider;
import io.eco2.engine.llm.LlmReply;
import io.eco2.engine.llm.LlmRequest;
import io.eco2.engine.stage.StageFailure;
import io.eco2.scan.llm.SimulatedLlmProviderFactory;
import io.eco2.scan.support.FakeLlm;
import io.eco2.scan.support.Jobs;
import io.eco2.scan.support.TestContext;
import io.eco2.scan.support.TestSetup;
import io.eco2.testkit.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.eco2.scan.data.Taxonomy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class VisionStageTest {

  private static JsonObject job(String url) {
    return new JsonObject().put("image_url", url).put("user_input", "이거 어떻게 버려요?").put("model", "gpt-5.2");
  }

  private static VisionStage initialised(Vertx vertx, io.eco2.engine.llm.LlmProvider llm) throws Exception {
    VisionStage stage = new VisionStage();
    Await.result(stage.init(TestSetup.of(vertx, llm)));
    return stage;
  }

  @Test
  void classifiesTheJobImageWithTheSimulatedLlm(Vertx vertx) throws Exception {
    var llm = new SimulatedLlmProviderFactory().create(vertx, new JsonObject().put("simulated", new JsonObject().put("latency-scale", 0)));
    JsonObject out = Await.result(initialised(vertx, llm).process(new TestContext(vertx, "vision", job("https://cdn.example.com/bottle.jpg"))));
    JsonObject result = out.getJsonObject("classification_result");
    assertThat(result.getJsonObject("classification").getString("major_category")).isEqualTo("재활용폐기물");
    assertThat(result.getJsonObject("classification").getString("middle_category")).isEqualTo("플라스틱");
    assertThat(result.getJsonObject("meta").getString("user_input")).isEqualTo("이거 어떻게 버려요?");
  }

  @Test
  void requestCarriesTaxonomyPromptSchemaImageModelAndCancellation(Vertx vertx) throws Exception {
    FakeLlm llm = FakeLlm.replying(Jobs.classificationResult("재활용폐기물", "유리", null));
    TestContext ctx = new TestContext(vertx, "vision", job("https://cdn.example.com/x.jpg"));
    Await.result(initialised(vertx, llm).process(ctx));
    LlmRequest request = llm.requests().get(0);
    assertThat(request.task()).isEqualTo("vision");
    assertThat(request.systemPrompt()).contains("재활용폐기물 > 플라스틱: 페트병", "대형폐기물 > 건축폐자재", "내용물_잔존");
    assertThat(request.userPrompt()).contains("이거 어떻게 버려요?");
    assertThat(request.responseSchema().getJsonArray("required").getList()).contains("classification");
    assertThat(request.imageUrl()).isEqualTo("https://cdn.example.com/x.jpg");
    assertThat(request.model()).isEqualTo("gpt-5.2");
    assertThat(request.cancelled()).isSameAs(ctx.cancelled());
  }

  @Test
  void schemaListsTheTaxonomysMajorAndMiddleCategoriesAsEnums(Vertx vertx) throws Exception {
    FakeLlm llm = FakeLlm.replying(Jobs.classificationResult("재활용폐기물", "유리", null));
    Await.result(initialised(vertx, llm).process(new TestContext(vertx, "vision", job("https://cdn.example.com/x.jpg"))));
    JsonObject classification = llm.requests().get(0).responseSchema()
      .getJsonObject("properties").getJsonObject("classification").getJsonObject("properties");
    Taxonomy taxonomy = Taxonomy.bundled();
    assertThat(classification.getJsonObject("major_category").getJsonArray("enum").getList())
      .containsExactlyElementsOf(taxonomy.majors());
    JsonArray middle = classification.getJsonObject("middle_category").getJsonArray("anyOf");
    assertThat(middle.getJsonObject(0).getJsonArray("enum").getList())
      .containsExactlyElementsOf(taxonomy.majors().stream().flatMap(m -> taxonomy.middles(m).stream()).toList());
    assertThat(middle.getJsonObject(1)).isEqualTo(new JsonObject().put("type", "null"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "{\"text\": \"페트병입니다\"}",
    "{\"classification\": {\"major_category\": 7, \"middle_category\": null, \"minor_category\": null}, \"situation_tags\": []}",
    "{\"classification\": {\"major_category\": \"재활용폐기물\", \"middle_category\": [\"유리\"], \"minor_category\": null}, \"situation_tags\": []}",
    "{\"classification\": {\"major_category\": \"재활용폐기물\", \"middle_category\": \"유리\", \"minor_category\": null}, \"situation_tags\": \"깨끗함\"}",
  })
  void replyWithoutTheExpectedShapeFailsRetryablyWithInvalidLlmOutputWithoutAskingAgain(String reply, Vertx vertx) throws Exception {
    FakeLlm llm = FakeLlm.replying(new JsonObject(reply));
    Throwable failure = Await.failure(initialised(vertx, llm).process(new TestContext(vertx, "vision", job("https://cdn.example.com/x.jpg"))));
    assertThat(failure).isInstanceOf(StageFailure.class);
    assertThat(((StageFailure) failure).code()).isEqualTo("INVALID_LLM_OUTPUT");
    assertThat(((StageFailure) failure).retryable()).isTrue();
    assertThat(llm.calls()).isEqualTo(1);
  }

  @Test
  void malformedJsonFromTheProviderStaysARetryableFailureWithoutAskingAgain(Vertx vertx) throws Exception {
    List<LlmRequest> asked = new CopyOnWriteArrayList<>();
    LlmProvider malformed = request -> {
      asked.add(request);
      return Future.failedFuture(StageFailure.retryable("INVALID_LLM_OUTPUT", "llm: choices[0].message.content is not a JSON object"));
    };
    Throwable failure = Await.failure(initialised(vertx, malformed).process(new TestContext(vertx, "vision", job("https://cdn.example.com/x.jpg"))));
    assertThat(((StageFailure) failure).code()).isEqualTo("INVALID_LLM_OUTPUT");
    assertThat(((StageFailure) failure).retryable()).isTrue();
    assertThat(asked).hasSize(1);
  }

  @Test
  void aMalformedAnswerToTheSecondQuestionIsARetryableFailure(Vertx vertx) throws Exception {
    List<LlmRequest> asked = new CopyOnWriteArrayList<>();
    LlmProvider offThenMalformed = request -> {
      asked.add(request);
      return asked.size() == 1
        ? Future.succeededFuture(new LlmReply(Jobs.classificationResult("재활용폐기물", "자동차", null), "fake", 1, 1))
        : Future.failedFuture(StageFailure.retryable("INVALID_LLM_OUTPUT", "llm: choices[0].message.content is not a JSON object"));
    };
    Throwable failure = Await.failure(initialised(vertx, offThenMalformed).process(new TestContext(vertx, "vision", job("https://cdn.example.com/x.jpg"))));
    assertThat(((StageFailure) failure).code()).isEqualTo("INVALID_LLM_OUTPUT");
    assertThat(((StageFailure) failure).retryable()).isTrue();
    assertThat(asked).hasSize(2);
  }

  @Test
  void aReplyOffTheTaxonomyIsAskedAgainOnceWithTheValidationErrorQuoted(Vertx vertx) throws Exception {
    FakeLlm llm = FakeLlm.replyingInTurn(Jobs.classificationResult("재활용폐기물", "자동차", null),
      Jobs.classificationResult("재활용폐기물", "유리", "유리병"));
    JsonObject out = Await.result(initialised(vertx, llm).process(new TestContext(vertx, "vision", job("https://cdn.example.com/x.jpg"))));

    assertThat(out.getJsonObject("classification_result").getJsonObject("classification"))
      .isEqualTo(new JsonObject().put("major_category", "재활용폐기물").put("middle_category", "유리").put("minor_category", "유리병"));
    assertThat(llm.calls()).isEqualTo(2);
    LlmRequest first = llm.requests().get(0);
    LlmRequest again = llm.requests().get(1);
    assertThat(again.userPrompt()).startsWith(first.userPrompt())
      .contains("classification.middle_category: must be null or one of [플라스틱, 종이, 유리, 금속캔, 비닐, 스티로폼, 의류]")
      .contains("got \"자동차\"")
      .contains("\"middle_category\":\"자동차\"");
    assertThat(again.imageUrl()).isEqualTo(first.imageUrl());
    assertThat(again.systemPrompt()).isEqualTo(first.systemPrompt());
    assertThat(again.responseSchema()).isEqualTo(first.responseSchema());
  }

  @Test
  void aSynonymStillOffAfterTheSecondQuestionIsMappedToItsCategory(Vertx vertx) throws Exception {
    FakeLlm llm = FakeLlm.replying(Jobs.classificationResult("재활용폐기물", "금속", "음료캔", "깨끗함"));
    JsonObject out = Await.result(initialised(vertx, llm).process(new TestContext(vertx, "vision", job("https://cdn.example.com/can.jpg"))));

    JsonObject result = out.getJsonObject("classification_result");
    assertThat(result.getJsonObject("classification"))
      .isEqualTo(new JsonObject().put("major_category", "재활용폐기물").put("middle_category", "금속캔").put("minor_category", "음료캔"));
    assertThat(result.getJsonArray("situation_tags").getList()).containsExactly("깨끗함");
    assertThat(llm.calls()).isEqualTo(2);
  }

  @Test
  void aMajorCategorySynonymIsMapped(Vertx vertx) throws Exception {
    FakeLlm llm = FakeLlm.replying(Jobs.classificationResult("음식물폐기물", "음식물쓰레기", null));
    JsonObject out = Await.result(initialised(vertx, llm).process(new TestContext(vertx, "vision", job("https://cdn.example.com/x.jpg"))));
    assertThat(out.getJsonObject("classification_result").getJsonObject("classification").getString("major_category")).isEqualTo("음식물류");
  }

  @Test
  void aCategoryNothingMapsFailsOffTaxonomyAndTheFallbackGoesOnWithTheReplyAsTheModelSaidIt(Vertx vertx) throws Exception {
    FakeLlm llm = FakeLlm.replying(Jobs.classificationResult("재활용폐기물", "기타", null, "깨끗함"));
    VisionStage stage = initialised(vertx, llm);
    TestContext ctx = new TestContext(vertx, "vision", job("https://cdn.example.com/x.jpg"));
    Throwable failure = Await.failure(stage.process(ctx));

    assertThat(failure).isInstanceOf(OffTaxonomyReply.class);
    assertThat(((StageFailure) failure).retryable()).as("another attempt would ask the same model again").isFalse();
    assertThat(llm.calls()).isEqualTo(2);
    JsonObject fallback = stage.fallback(ctx, failure);
    assertThat(fallback.getJsonObject("classification_result").getJsonObject("classification").getString("middle_category")).isEqualTo("기타");
    assertThat(fallback.getJsonObject("classification_result").getJsonObject("meta").getString("user_input")).isEqualTo("이거 어떻게 버려요?");
  }

  @Test
  void otherFailuresHaveNoFallback(Vertx vertx) throws Exception {
    VisionStage stage = initialised(vertx, FakeLlm.unused());
    TestContext ctx = new TestContext(vertx, "vision", job("https://cdn.example.com/x.jpg"));
    assertThat(stage.fallback(ctx, StageFailure.retryable("INVALID_LLM_OUTPUT", "vision reply classification: must be an object"))).isNull();
    assertThat(stage.fallback(ctx, StageFailure.permanent("LLM_REQUEST_REJECTED", "HTTP 400"))).isNull();
  }

  @Test
  void missingImageUrlFailsPermanentlyWithoutCallingTheLlm(Vertx vertx) throws Exception {
    FakeLlm llm = FakeLlm.unused();
    Throwable failure = Await.failure(initialised(vertx, llm).process(new TestContext(vertx, "vision", new JsonObject())));
    assertThat(((StageFailure) failure).code()).isEqualTo("INVALID_INPUT");
    assertThat(((StageFailure) failure).retryable()).isFalse();
    assertThat(llm.calls()).isZero();
  }

  @Test
  void defaultPolicyFollowsTheContract() {
    var policy = new VisionStage().defaultPolicy();
    assertThat(policy.timeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(policy.retries()).isEqualTo(2);
    assertThat(policy.backoff(1, 0.5)).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.backoff(2, 0.5)).isEqualTo(Duration.ofSeconds(2));
    // Sized for 10,000 closed-loop users per process (issue 14): what does not run can wait, so no 429 below that.
    assertThat(policy.instances()).isEqualTo(2);
    assertThat(policy.concurrency()).isEqualTo(3072);
    assertThat(policy.instances() * policy.concurrency() + policy.backlog()).isGreaterThanOrEqualTo(10_000);
  }
}
