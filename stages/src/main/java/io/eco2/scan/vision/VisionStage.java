package io.eco2.scan.vision;

import io.eco2.engine.llm.LlmProvider;
import io.eco2.engine.llm.LlmRequest;
import io.eco2.engine.stage.Stage;
import io.eco2.engine.stage.StageContext;
import io.eco2.engine.stage.StageFailure;
import io.eco2.engine.stage.StagePolicy;
import io.eco2.scan.EcoDefaults;
import io.eco2.scan.EcoPolicies;
import io.eco2.engine.stage.StageSetup;
import io.eco2.scan.data.BundledResources;
import io.eco2.scan.data.Category;
import io.eco2.scan.data.Taxonomy;
import io.eco2.scan.data.TaxonomySynonyms;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code vision} stage: classifies the job's image with the LLM into the bundled taxonomy.
 *
 * <p>Reads {@code image_url}, {@code user_input} and {@code model}; writes {@code classification_result}
 * (CONTRACT §3). The schema sent lists the taxonomy ({@link VisionSchema}). Model drift degrades, never
 * fails: a reply of the right shape but off the taxonomy is asked again once, in the same attempt, with the
 * validation error quoted back; a second miss is mapped to the category the bundled data says was meant
 * ({@link TaxonomySynonyms}); what is still off goes on as the model said it, with no disposal rule, the job
 * marked degraded by {@code vision} ({@link #fallback}). A reply without the expected shape fails as a
 * retryable {@code INVALID_LLM_OUTPUT}; a job without an image URL fails permanently with
 * {@code INVALID_INPUT}. Stateless per job, so one instance serves every event loop; the LLM call is
 * abandoned when the engine cancels the execution.
 */
public final class VisionStage implements Stage {

  /** The stage's name in {@code pipeline.stages}. */
  public static final String NAME = "vision";

  /** The question asked when the user typed none (CONTRACT §2). */
  public static final String DEFAULT_USER_INPUT = EcoDefaults.USER_INPUT;

  private static final System.Logger LOG = System.getLogger(VisionStage.class.getName());

  private record Prepared(LlmProvider llm, ClassificationCheck check, TaxonomySynonyms synonyms, String systemPrompt,
                          String userTemplate, String correctionTemplate, JsonObject schema) {
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
      return new Prepared(llm, new ClassificationCheck(taxonomy), TaxonomySynonyms.loadBundled(taxonomy), system,
        BundledResources.text("prompts/vision-user.txt"), BundledResources.text("prompts/vision-correction.txt"),
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
    String userPrompt = BundledResources.fill(p.userTemplate(), Map.of("user_input", userInput));
    return ask(p, ctx, imageUrl, userInput, userPrompt)
      .recover(e -> e instanceof OffTaxonomyReply off && !ctx.isCancelled()
        ? ask(p, ctx, imageUrl, userInput, userPrompt + correction(p, off))
        : Future.failedFuture(e))
      .recover(e -> e instanceof OffTaxonomyReply off ? mapped(p, ctx, off) : Future.failedFuture(e))
      .map(result -> new JsonObject().put("classification_result", result));
  }

  /**
   * A reply still off the taxonomy after the second question and its mapping: the job goes on with the
   * classification as the model said it, which no disposal rule matches, marked degraded by vision. Any other
   * failure has no fallback: the job fails as the engine's policy says.
   */
  @Override
  public JsonObject fallback(StageContext ctx, Throwable cause) {
    return cause instanceof OffTaxonomyReply off ? new JsonObject().put("classification_result", off.result()) : null;
  }

  private static Future<JsonObject> ask(Prepared p, StageContext ctx, String imageUrl, String userInput, String userPrompt) {
    LlmRequest request = new LlmRequest(NAME)
      .setModel(ctx.job().getValue("model") instanceof String model ? model : null)
      .setSystemPrompt(p.systemPrompt())
      .setUserPrompt(userPrompt)
      .setImageUrl(imageUrl)
      .setResponseSchema(p.schema().copy())
      .setInput(new JsonObject().put("image_url", imageUrl).put("user_input", userInput))
      .setCancelled(ctx.cancelled());
    return p.llm().complete(request).map(reply -> p.check().check(reply.content(), userInput));
  }

  // The model sees its own reply and the error, the way a validator would tell a person.
  private static String correction(Prepared p, OffTaxonomyReply off) {
    JsonObject said = off.result();
    said.remove("meta");
    return BundledResources.fill(p.correctionTemplate(), Map.of("reply", said.encode(), "error", off.getMessage()));
  }

  private static Future<JsonObject> mapped(Prepared p, StageContext ctx, OffTaxonomyReply off) {
    JsonObject result = off.result();
    JsonObject said = result.getJsonObject("classification");
    Category category = p.synonyms().resolve(said.getString("major_category"), said.getString("middle_category"),
      said.getString("minor_category"));
    if (category == null) {
      return Future.failedFuture(off);
    }
    LOG.log(Level.DEBUG, () -> "job " + ctx.jobId() + ": vision reply " + Category.fromClassification(said).label()
      + " mapped to " + category.label());
    return Future.succeededFuture(result.put("classification", category.toClassification()));
  }
}
