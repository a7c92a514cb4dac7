package io.eco2.scan.vision;

import io.eco2.engine.llm.LlmProvider;
import io.eco2.engine.llm.LlmRequest;
import io.eco2.engine.stage.Stage;
import io.eco2.engine.stage.StageContext;
import io.eco2.engine.stage.StageFailure;
import io.eco2.engine.stage.StagePolicy;
import io.eco2.scan.EcoPolicies;
import io.eco2.engine.stage.StageSetup;
import io.eco2.scan.data.BundledResources;
import io.eco2.scan.data.Taxonomy;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code vision} stage: classifies the job's image with the LLM into the bundled taxonomy.
 *
 * <p>Reads {@code image_url}, {@code user_input} and {@code model}; writes {@code classification_result}
 * (CONTRACT §3). A reply outside the taxonomy fails as a retryable {@code INVALID_LLM_OUTPUT}; a job without
 * an image URL fails permanently with {@code INVALID_INPUT}. Stateless per job, so one instance serves every
 * event loop; the LLM call is abandoned when the engine cancels the execution.
 */
public final class VisionStage implements Stage {

  /** The stage's name in {@code pipeline.stages}. */
  public static final String NAME = "vision";

  /** The question asked when the user typed none (CONTRACT §2). */
  public static final String DEFAULT_USER_INPUT = io.eco2.engine.http.ApiOptions.DEFAULT_USER_INPUT;

  private record Prepared(LlmProvider llm, ClassificationCheck check, String systemPrompt, String userTemplate,
                          JsonObject schema) {
  }

  private volatile Prepared prepared;

  @Override
  public String name() {
    return NAME;
  }

  /** {@link EcoPolicies#llmCall()}. */
  @Override
  public StagePolicy defaultPolicy() {
    return EcoPolicies.llmCall();
  }

  @Override
  public Future<Void> init(StageSetup setup) {
    LlmProvider llm = setup.llm();
    if (llm == null) {
      return Future.failedFuture(new IllegalStateException("stages.vision: no LLM provider configured (llm.provider)"));
    }
    // Class-path reads block: keep them off the event loop.
    return setup.vertx().executeBlocking(() -> {
      Taxonomy taxonomy = Taxonomy.bundled();
      String tags = taxonomy.situationTags().stream().map(t -> "- " + t.tag()).collect(Collectors.joining("\n"));
      String system = BundledResources.fill(BundledResources.text("prompts/vision-system.txt"),
        Map.of("taxonomy", taxonomy.promptListing(), "situation_tags", tags));
      return new Prepared(llm, new ClassificationCheck(taxonomy), system,
        BundledResources.text("prompts/vision-user.txt"),
        VisionSchema.of(BundledResources.json("schemas/vision-reply.json"), taxonomy));
    }).map(p -> {
      prepared = p;
      return null;
    });
  }

  @Override
  public Future<JsonObject> process(StageContext ctx) {
    Prepared p = prepared;
    if (p == null) {
      return Future.failedFuture(new IllegalStateException("stages.vision: process called before init completed"));
    }
    JsonObject job = ctx.job();
    if (!(job.getValue("image_url") instanceof String imageUrl) || imageUrl.isBlank()) {
      return Future.failedFuture(StageFailure.permanent("INVALID_INPUT", "image_url: missing or not a string"));
    }
    String userInput = job.getValue("user_input") instanceof String s && !s.isBlank() ? s : DEFAULT_USER_INPUT;
    LlmRequest request = new LlmRequest(NAME)
      .setModel(job.getValue("model") instanceof String model ? model : null)
      .setSystemPrompt(p.systemPrompt())
      .setUserPrompt(BundledResources.fill(p.userTemplate(), Map.of("user_input", userInput)))
      .setImageUrl(imageUrl)
      .setResponseSchema(p.schema().copy())
      .setInput(new JsonObject().put("image_url", imageUrl).put("user_input", userInput))
      .setCancelled(ctx.cancelled());
    return p.llm().complete(request)
      .map(reply -> new JsonObject().put("classification_result", p.check().check(reply.content(), userInput)));
  }
}
