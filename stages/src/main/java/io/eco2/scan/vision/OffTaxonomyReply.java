package io.eco2.scan.vision;

import io.eco2.engine.stage.StageFailure;
import io.vertx.core.json.JsonObject;

/**
 * A vision reply of the right shape whose category is not in the taxonomy: permanent, because another
 * attempt of the stage would ask the same model the same question. {@link VisionStage} asks once more with
 * this message, then maps the reply where the bundled data says which category was meant; only what is left
 * reaches the engine, whose call of {@link VisionStage#fallback} turns it into the reply as the model said
 * it, so that the job goes on degraded instead of failing.
 */
public final class OffTaxonomyReply extends StageFailure {

  /** The failure code (in logs and the dead-letter reason; never a job's {@code error} event). */
  public static final String CODE = "OFF_TAXONOMY";

  private final transient JsonObject result;

  OffTaxonomyReply(String message, JsonObject result) {
    super(CODE, message, false);
    this.result = result;
  }

  /** The {@code classification_result} as the model said it (a copy). */
  public JsonObject result() {
    return result.copy();
  }
}
