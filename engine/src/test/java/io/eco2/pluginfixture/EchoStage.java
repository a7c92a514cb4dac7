package io.eco2.pluginfixture;

import io.eco2.engine.stage.Stage;
import io.eco2.engine.stage.StageContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * A plugin stage for the plugin loader's tests. Its package is outside those the engine exposes to
 * plugins, so inside a test jar it is loaded by the jar's own class loader.
 */
public final class EchoStage implements Stage {

  @Override
  public String name() {
    return "echo";
  }

  @Override
  public Future<JsonObject> process(StageContext ctx) {
    return Future.succeededFuture(new JsonObject().put("echo", ctx.job().copy()));
  }
}
