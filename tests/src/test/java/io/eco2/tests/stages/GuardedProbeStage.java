package io.eco2.tests.stages;

import io.eco2.engine.stage.StageContext;
import io.vertx.core.json.JsonObject;

/** A {@link ProbeStage} named {@code guarded} whose fallback output is {@code {"guarded": null}}. */
public class GuardedProbeStage extends ProbeStage {

  @Override
  public String name() {
    return "guarded";
  }

  @Override
  public JsonObject fallback(StageContext ctx, Throwable cause) {
    return new JsonObject().putNull(name());
  }
}
