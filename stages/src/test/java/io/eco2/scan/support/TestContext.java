package io.eco2.scan.support;

import io.eco2.engine.stage.StageContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/** A {@link StageContext} for one attempt of a stage, cancellable by the test. */
public final class TestContext implements StageContext {

  private final String jobId = UUID.randomUUID().toString();
  private final String stage;
  private final JsonObject job;
  private final Vertx vertx;
  private final Promise<Void> cancel = Promise.promise();

  public TestContext(Vertx vertx, String stage, JsonObject job) {
    this.vertx = vertx;
    this.stage = stage;
    this.job = job;
  }

  /** Cancels the execution as the engine would on timeout. */
  public void cancel() {
    cancel.tryComplete();
  }

  @Override public String jobId() { return jobId; }
  @Override public String stage() { return stage; }
  @Override public int attempt() { return 0; }
  @Override public JsonObject job() { return job; }
  @Override public Vertx vertx() { return vertx; }
  @Override public Future<Void> cancelled() { return cancel.future(); }
}
