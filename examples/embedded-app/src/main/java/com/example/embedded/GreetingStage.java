package com.example.embedded;

import io.eco2.engine.stage.Stage;
import io.eco2.engine.stage.StageContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** Stage {@code greet}: {@code {"name": "Ada"}} in, {@code {"greeting": "Hello, Ada!"}} out. */
public final class GreetingStage implements Stage {

  @Override
  public String name() {
    return "greet";
  }

  @Override
  public Future<JsonObject> process(StageContext ctx) {
    String name = ctx.job().getString("name", "world");
    return Future.succeededFuture(new JsonObject().put("greeting", "Hello, " + name + "!"));
  }
}
