package io.eco2.scan.reward;

import io.eco2.engine.stage.Stage;
import io.eco2.engine.stage.StageContext;
import io.eco2.engine.stage.StageFailure;
import io.eco2.engine.stage.StagePolicy;
import io.eco2.scan.EcoPolicies;
import io.eco2.engine.stage.StageSetup;
import io.eco2.engine.stage.StageOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.System.Logger.Level;
import java.util.Set;

/**
 * The {@code reward} stage: gives the user a collectible character for a correctly sorted recyclable.
 *
 * <p>Reads {@code classification_result}, {@code disposal_rules} and {@code final_answer}; writes
 * {@code reward}. Only an eligible job (CONTRACT §3: major category {@code 재활용폐기물}, a middle
 * category, a rule found and no insufficiencies) asks the {@link CharacterMatcher}; any other job gets
 * {@code {"reward": null}} at once, which is not a degradation. When matching times out or fails the stage
 * fails with the permanent {@code REWARD_UNAVAILABLE} and {@link #fallback} answers {@code {"reward": null}},
 * so the job completes, marked degraded by {@code reward}.
 *
 * <p>Options ({@code stages.reward.options}): {@code match-timeout-ms} ({@value #DEFAULT_MATCH_TIMEOUT_MS}), {@code match-address}
 * ({@value CharacterMatcher#ADDRESS}), {@code deploy-matcher} (true; false when the matcher runs elsewhere).
 */
public final class RewardStage implements Stage {

  /** The stage's name in {@code pipeline.stages}. */
  public static final String NAME = "reward";

  /** The only major category that earns a reward. */
  public static final String ELIGIBLE_MAJOR = "재활용폐기물";

  /** {@code stages.reward.options.match-timeout-ms}: how long character matching may take. */
  public static final long DEFAULT_MATCH_TIMEOUT_MS = 10_000;

  /** The failure code when character matching timed out or failed. */
  public static final String REWARD_UNAVAILABLE = "REWARD_UNAVAILABLE";

  private static final System.Logger LOG = System.getLogger(RewardStage.class.getName());
  private static final Set<String> OPTIONS = Set.of("match-timeout-ms", "match-address", "deploy-matcher");

  private record Settings(Vertx vertx, String address, long timeoutMs, boolean deployed) {
  }

  private volatile Settings settings;
  private Future<Void> ready;

  @Override
  public String name() {
    return NAME;
  }

  /** {@link EcoPolicies#localLookup()}. */
  @Override
  public StagePolicy defaultPolicy() {
    return EcoPolicies.localLookup();
  }

  @Override
  public synchronized Future<Void> init(StageSetup setup) {
    // Idempotent: a second init (or one racing the first) shares the first's deployment instead of adding one.
    if (ready != null) {
      return ready;
    }
    Settings s;
    try {
      StageOptions options = StageOptions.of(NAME, setup, OPTIONS);
      s = new Settings(setup.vertx(), options.string("match-address", CharacterMatcher.ADDRESS),
        options.positiveLong("match-timeout-ms", DEFAULT_MATCH_TIMEOUT_MS), options.bool("deploy-matcher", true));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Future<Void> deployed = s.deployed() ? MatcherDeployment.acquire(s.vertx(), s.address()) : Future.succeededFuture();
    Future<Void> attempt = deployed.map(v -> {
      settings = s;
      LOG.log(Level.INFO, "reward stage: matching on {0} with a {1} ms timeout{2}", s.address(), String.valueOf(s.timeoutMs()),
        s.deployed() ? "" : " (matcher not deployed here)");
      return null;
    });
    ready = attempt;
    attempt.onFailure(e -> forgetFailedInit(attempt));
    return attempt;
  }

  @Override
  public Future<JsonObject> process(StageContext ctx) {
    Settings s = settings;
    if (s == null) {
      return Future.failedFuture(new IllegalStateException("stages.reward: process called before init completed"));
    }
    JsonObject classification = eligibleClassification(ctx.job());
    if (classification == null) {
      return Future.succeededFuture(new JsonObject().putNull("reward"));
    }
    DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(s.timeoutMs());
    return ctx.vertx().eventBus().<Object>request(s.address(), classification, delivery)
      .recover(e -> Future.failedFuture(unavailable(s, e.getMessage())))
      .map(reply -> {
        if (!(reply.body() instanceof JsonObject body) || !(body.getValue("reward") == null || body.getValue("reward") instanceof JsonObject)) {
          throw unavailable(s, "reply is not {\"reward\": object|null}: " + reply.body());
        }
        return new JsonObject().put("reward", body.getJsonObject("reward"));
      });
  }

  /** Reward unavailable: the job goes on without one, marked degraded. */
  @Override
  public JsonObject fallback(StageContext ctx, Throwable cause) {
    return new JsonObject().putNull("reward");
  }

  @Override
  public synchronized Future<Void> close() {
    Settings s = settings;
    settings = null;
    ready = null;
    return s != null && s.deployed() ? MatcherDeployment.release(s.vertx(), s.address()) : Future.succeededFuture();
  }

  /**
   * The classification to match when the job is eligible for a reward, else null: recyclable, with a
   * middle category, a disposal rule and an answer without insufficiencies.
   */
  static JsonObject eligibleClassification(JsonObject job) {
    if (!(job.getValue("classification_result") instanceof JsonObject result)
        || !(result.getValue("classification") instanceof JsonObject classification)
        || !ELIGIBLE_MAJOR.equals(classification.getValue("major_category"))
        || !(classification.getValue("middle_category") instanceof String middle) || middle.isBlank()
        || !(job.getValue("disposal_rules") instanceof JsonObject)
        || !(job.getValue("final_answer") instanceof JsonObject answer)
        || !(answer.getValue("insufficiencies") instanceof JsonArray insufficiencies)
        || !insufficiencies.isEmpty()) {
      return null;
    }
    return classification.copy();
  }

  private synchronized void forgetFailedInit(Future<Void> attempt) {
    if (ready == attempt) {
      ready = null;
    }
  }

  private static StageFailure unavailable(Settings s, String why) {
    return StageFailure.permanent(REWARD_UNAVAILABLE, "reward: character matching on " + s.address()
      + " (stages.reward.options.match-timeout-ms " + s.timeoutMs() + "): " + why);
  }
}
