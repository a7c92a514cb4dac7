package io.eco2.pluginfixture;

import io.eco2.engine.stage.Stage;
import io.eco2.engine.stage.StageContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** A stage whose constructor fails, as one whose static state or a missing dependency breaks would. */
public final class ExplodingStage implements Stage {

  public ExplodingStage() {
    throw new IllegalStateException("cannot find its model file");
  }

  @Override
  public String name() {
    return "exploding";
  }

  @Override
  public Future<JsonObject> process(StageContext ctx) {
    return Future.succeededFuture(new JsonObject());
  }
}
