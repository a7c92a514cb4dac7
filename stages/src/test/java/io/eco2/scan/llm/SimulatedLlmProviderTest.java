package io.eco2.scan.llm;

import io.eco2.engine.llm.LlmProvider;
import io.eco2.engine.llm.LlmProviderFactory;
import io.eco2.engine.llm.LlmReply;
import io.eco2.engine.llm.LlmRequest;
import io.eco2.engine.stage.StageFailure;
import io.eco2.scan.data.Taxonomy;
import io.eco2.testkit.Await;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashSet;
import java.util.ServiceLoader;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class SimulatedLlmProviderTest {

  private static LlmProvider instant(Vertx vertx) {
    return new SimulatedLlmProviderFactory().create(vertx,
      new JsonObject().put("simulated", new JsonObject().put("latency-scale", 0)));
  }

  private static LlmRequest vision(String url) {
    return new LlmRequest("vision").setImageUrl(url).setInput(new JsonObject().put("user_input", "버려도 되나요?"));
  }

  private static JsonObject classify(LlmProvider llm, String url) throws Exception {
    return Await.result(llm.complete(vision(url))).content();
  }

  @Test
  void visionIsDeterministicForTheSameUrl(Vertx vertx) throws Exception {
    LlmProvider llm = instant(vertx);
    String url = "https://img.example.com/uploads/7f3a9c.jpg";
    assertThat(classify(llm, url)).isEqualTo(classify(llm, url));
    assertThat(classify(instant(vertx), url)).isEqualTo(classify(llm, url));
  }

  @ParameterizedTest
  @CsvSource({
    "https://cdn.example.com/photos/bottle.jpg, 재활용폐기물, 플라스틱",
    "https://cdn.example.com/photos/pet-01.png, 재활용폐기물, 플라스틱",
    "https://cdn.example.com/photos/cans.jpg, 재활용폐기물, 금속캔",
    "https://cdn.example.com/photos/box.jpg, 재활용폐기물, 종이",
    "https://cdn.example.com/photos/old_paper.jpg, 재활용폐기물, 종이",
    "https://cdn.example.com/photos/glass.jpg, 재활용폐기물, 유리",
    "https://cdn.example.com/photos/plastic-bag.jpg, 재활용폐기물, 플라스틱",
    "https://cdn.example.com/photos/vinyl.jpg, 재활용폐기물, 비닐",
    "https://cdn.example.com/photos/food.jpg, 음식물류, 음식물쓰레기",
    "https://cdn.example.com/photos/sofa.jpg, 대형폐기물, 가구",
    "https://cdn.example.com/photos/furniture.jpg, 대형폐기물, 가구",
  })
  void visionMapsUrlKeywordsToTheirCategory(String url, String major, String middle, Vertx vertx) throws Exception {
    JsonObject classification = classify(instant(vertx), url).getJsonObject("classification");
    assertThat(classification.getString("major_category")).isEqualTo(major);
    assertThat(classification.getString("middle_category")).isEqualTo(middle);
  }

  @Test
  void visionReplyHasTheContractShape(Vertx vertx) throws Exception {
    JsonObject result = classify(instant(vertx), "https://cdn.example.com/photos/bottle.jpg");
    assertThat(result.fieldNames()).containsExactlyInAnyOrder("classification", "situation_tags", "meta");
    assertThat(result.getJsonObject("classification").fieldNames())
      .containsExactlyInAnyOrder("major_category", "middle_category", "minor_category");
    assertThat(result.getJsonObject("classification").getString("minor_category")).isEqualTo("페트병");
    assertThat(result.getJsonObject("meta").getString("user_input")).isEqualTo("버려도 되나요?");
  }

  @Test
  void everyTaxonomyMajorCategoryAppearsAcrossUrls(Vertx vertx) throws Exception {
    LlmProvider llm = instant(vertx);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      seen.add(classify(llm, "https://img.example.com/u/" + i + ".jpg")
        .getJsonObject("classification").getString("major_category"));
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(Taxonomy.bundled().majors());
  }

  @Test
  void latencyScaleZeroRepliesWithoutATimer(Vertx vertx) {
    Future<LlmReply> reply = instant(vertx).complete(vision("https://cdn.example.com/a.jpg"));
    assertThat(reply.succeeded()).isTrue();
  }

  @Test
  void cancellationStopsAPendingCallWithCancelled(Vertx vertx) throws Exception {
    LlmProvider slow = new SimulatedLlmProviderFactory().create(vertx, new JsonObject().put("simulated",
      new JsonObject().put("vision-mean-ms", 60_000).put("vision-p99-ms", 120_000).put("seed", 1)));
    Promise<Void> cancel = Promise.promise();
    Future<LlmReply> reply = slow.complete(vision("https://cdn.example.com/a.jpg").setCancelled(cancel.future()));
    assertThat(reply.isComplete()).isFalse();
    long start = System.nanoTime();
    vertx.setTimer(50, id -> cancel.complete());
    Throwable failure = Await.failure(reply);
    assertThat(failure).isInstanceOf(StageFailure.class);
    assertThat(((StageFailure) failure).code()).isEqualTo("CANCELLED");
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
  }

  @Test
  void alreadyCancelledRequestFailsAtOnce(Vertx vertx) {
    LlmProvider slow = new SimulatedLlmProviderFactory().create(vertx, new JsonObject());
    Future<LlmReply> reply = slow.complete(vision("https://cdn.example.com/a.jpg").setCancelled(Future.succeededFuture()));
    assertThat(reply.failed()).isTrue();
    assertThat(((StageFailure) reply.cause()).code()).isEqualTo("CANCELLED");
  }

  @Test
  void positiveLatencyDelaysTheReplyOnATimer(Vertx vertx) throws Exception {
    LlmProvider fast = new SimulatedLlmProviderFactory().create(vertx, new JsonObject().put("simulated",
      new JsonObject().put("latency-scale", 0.01).put("seed", 3)));
    Future<LlmReply> reply = fast.complete(vision("https://cdn.example.com/a.jpg"));
    assertThat(reply.isComplete()).isFalse();
    assertThat(Await.result(reply).content().containsKey("classification")).isTrue();
  }

  @Test
  void answerTurnsRuleStepsIntoNumberedDisposalSteps(Vertx vertx) throws Exception {
    JsonObject classification = classify(instant(vertx), "https://cdn.example.com/bottle.jpg");
    classification.put("situation_tags", new io.vertx.core.json.JsonArray().add("라벨_부착"));
    JsonObject rules = new JsonObject().put("title", "투명 페트병 분리배출")
      .put("steps", new io.vertx.core.json.JsonArray().add("비우기").add("라벨 제거").add("압착"))
      .put("cautions", new io.vertx.core.json.JsonArray().add("유색 페트병 주의"));
    LlmRequest request = new LlmRequest("answer").setInput(new JsonObject()
      .put("classification_result", classification).put("disposal_rules", rules).put("user_input", "어떻게 버려요?"));
    JsonObject answer = Await.result(instant(vertx).complete(request)).content();
    assertThat(answer.getJsonObject("disposal_steps").getMap())
      .containsExactly(java.util.Map.entry("단계1", "비우기"), java.util.Map.entry("단계2", "라벨 제거"), java.util.Map.entry("단계3", "압착"));
    assertThat(answer.getJsonArray("insufficiencies")).isEmpty();
    assertThat(answer.getString("user_answer")).startsWith("페트병은 ");
    assertThat(Await.result(instant(vertx).complete(request)).content()).isEqualTo(answer);
  }

  @Test
  void unknownTaskFailsPermanently(Vertx vertx) {
    Future<LlmReply> reply = instant(vertx).complete(new LlmRequest("summarise"));
    assertThat(((StageFailure) reply.cause()).code()).isEqualTo("UNSUPPORTED_TASK");
    assertThat(((StageFailure) reply.cause()).retryable()).isFalse();
  }

  @Test
  void factoryIsFoundByServiceLoaderAsSimulated() {
    assertThat(ServiceLoader.load(LlmProviderFactory.class).stream().map(p -> p.get().name()))
      .contains("simulated");
  }
}
