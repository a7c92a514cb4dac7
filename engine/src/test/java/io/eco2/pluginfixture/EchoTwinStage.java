package io.eco2.pluginfixture;

import io.eco2.engine.stage.Stage;
import io.eco2.engine.stage.StageContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** Another class whose stage is named {@code echo}: the duplicate that must stop start-up. */
public final class EchoTwinStage implements Stage {

  @Override
  public String name() {
    return "echo";
  }

  @Override
  public Future<JsonObject> process(StageContext ctx) {
    return Future.succeededFuture(new JsonObject());
  }
}
