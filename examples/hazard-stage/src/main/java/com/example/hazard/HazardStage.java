package com.example.hazard;

import io.eco2.engine.stage.Stage;
import io.eco2.engine.stage.StageContext;
import io.eco2.engine.stage.StageOptions;
import io.eco2.engine.stage.StagePolicy;
import io.eco2.engine.stage.StageSetup;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Set;

/**
 * Stage {@code hazard}, for the Eco² pipeline between {@code vision} and {@code rule}: flags items whose
 * vision classification is hazardous (batteries, fluorescent lamps, medicine by default) so that a client
 * can warn before any disposal rule is shown. Output: {@code hazard_check} with {@code hazardous},
 * {@code major_category} and {@code warning} (null when not hazardous).
 *
 * <p>Options ({@code stages.hazard.options}): {@code hazardous-major} (the major category that counts as
 * hazardous, default {@value #DEFAULT_HAZARDOUS_MAJOR}) and {@code warning} (the text shown).
 *
 * <p>Pure computation over the job's data: no I/O, so it is cheap, idempotent on redelivery, and needs no
 * cancellation handling.
 */
public final class HazardStage implements Stage {

  public static final String NAME = "hazard";
  public static final String DEFAULT_HAZARDOUS_MAJOR = "유해폐기물";
  public static final String DEFAULT_WARNING = "Hazardous waste: take it to a designated collection point, never into household bins.";

  private volatile String hazardousMajor = DEFAULT_HAZARDOUS_MAJOR;
  private volatile String warning = DEFAULT_WARNING;

  @Override
  public String name() {
    return NAME;
  }

  /** Local and fast: a short timeout, one retry. */
  @Override
  public StagePolicy defaultPolicy() {
    return new StagePolicy().setConcurrency(256).setTimeout(Duration.ofSeconds(5)).setRetries(1);
  }

  @Override
  public Future<Void> init(StageSetup setup) {
    // Thrown here, a bad option stops start-up with its one line (stages.hazard.options.<key>: ...).
    StageOptions options = StageOptions.of(NAME, setup, Set.of("hazardous-major", "warning"));
    hazardousMajor = options.string("hazardous-major", DEFAULT_HAZARDOUS_MAJOR);
    warning = options.string("warning", DEFAULT_WARNING);
    return Future.succeededFuture();
  }

  @Override
  public Future<JsonObject> process(StageContext ctx) {
    JsonObject classification = ctx.job().getJsonObject("classification_result", new JsonObject())
      .getJsonObject("classification", new JsonObject());
    String major = classification.getString("major_category");
    boolean hazardous = hazardousMajor.equals(major);
    JsonObject check = new JsonObject()
      .put("hazardous", hazardous)
      .put("major_category", major)
      .put("warning", hazardous ? warning : null);
    return Future.succeededFuture(new JsonObject().put("hazard_check", check));
  }
}
