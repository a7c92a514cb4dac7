package io.eco2.tests.stages;

import io.eco2.engine.stage.StageContext;
import io.eco2.engine.stage.StagePolicy;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * A stage named {@code blocking} whose code blocks its thread ({@code Thread.sleep}) as legacy client
 * libraries do; its policy declares it, so the engine must run it off the event loop. The output records
 * whether it ran on an event loop thread.
 */
public class BlockingProbeStage extends ProbeStage {

  @Override
  public String name() {
    return "blocking";
  }

  @Override
  public StagePolicy defaultPolicy() {
    return super.defaultPolicy().setBlocking(true);
  }

  @Override
  public Future<JsonObject> process(StageContext ctx) {
    String sleep = directive(ctx.job().getString("user_input", ""), "sleep");
    try {
      Thread.sleep(sleep == null ? 50 : Long.parseLong(sleep));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Future.succeededFuture(new JsonObject().put(name(), new JsonObject()
      .put("on_event_loop", Context.isOnEventLoopThread())));
  }
}
