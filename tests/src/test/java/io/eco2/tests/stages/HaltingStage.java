package io.eco2.tests.stages;

import io.eco2.engine.stage.Stage;
import io.eco2.engine.stage.StageContext;
import io.eco2.engine.stage.StagePolicy;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * A poison stage: every execution halts the JVM running it at once (no shutdown hook, no drain), as a native
 * crash or an out-of-memory kill would. Never listed in this module's {@code META-INF/services}: it is only
 * ever loaded from a plugin jar by an engine process that is meant to die ({@code PoisonMessageTest}).
 */
public class HaltingStage implements Stage {

  @Override
  public String name() {
    return "halt";
  }

  @Override
  public StagePolicy defaultPolicy() {
    return new StagePolicy().setConcurrency(1).setRetries(0);
  }

  @Override
  public Future<JsonObject> process(StageContext ctx) {
    System.out.println("HaltingStage: halting on job " + ctx.jobId() + " attempt " + ctx.attempt());
    System.out.flush();
    Runtime.getRuntime().halt(99);
    return Future.succeededFuture();
  }
}
