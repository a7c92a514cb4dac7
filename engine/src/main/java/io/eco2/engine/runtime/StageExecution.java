package io.eco2.engine.runtime;

import io.eco2.engine.stage.Stage;
import io.eco2.engine.stage.StageContext;
import io.eco2.engine.stage.StageFailure;
import io.eco2.engine.stage.StagePolicy;
import io.eco2.engine.transport.WorkItem;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * One attempt of one stage for one job: runs {@link Stage#process} (on a worker thread when the policy says
 * it blocks), and cancels it when the policy's timeout passes.
 *
 * <p>The outcome future always completes: with the output, or with a {@link StageFailure} (code
 * {@code TIMEOUT} when the timeout won, or the reason it was {@linkplain #cancel cancelled} with). A stage that
 * completes after that is ignored.
 */
final class StageExecution implements StageContext {

  private final Vertx vertx;
  private final WorkItem item;
  private final JsonObject job;
  private final Promise<Void> cancelled = Promise.promise();
  private final Promise<JsonObject> outcome = Promise.promise();
  private final Context context;

  StageExecution(Vertx vertx, WorkItem item) {
    this.vertx = vertx;
    this.item = item;
    this.job = item.data().copy();
    this.context = vertx.getOrCreateContext();
  }

  Future<JsonObject> run(Stage stage, StagePolicy policy) {
    long timer = vertx.setTimer(policy.timeout().toMillis(), id -> cancel(new StageFailure(StageFailure.TIMEOUT,
      "stage '" + item.stage() + "' timed out after " + policy.timeout().toMillis() + " ms", true)));
    invoke(stage, policy).onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        outcome.tryComplete(ar.result() == null ? new JsonObject() : ar.result());
      } else {
        outcome.tryFail(StageFailure.of(ar.cause()));
      }
    });
    return outcome.future();
  }

  /**
   * Ends the attempt with {@code reason} (timeout, shutdown hand-over, job cancellation) and fires
   * {@link #cancelled()}; whatever the stage completes with afterwards is ignored.
   *
   * @return false when the attempt had already ended
   */
  boolean cancel(StageFailure reason) {
    if (outcome.tryFail(reason)) {
      cancelled.tryComplete();
      return true;
    }
    return false;
  }

  /** The context the execution runs on: a cancellation from elsewhere is best delivered there. */
  Context context() {
    return context;
  }

  private Future<JsonObject> invoke(Stage stage, StagePolicy policy) {
    if (policy.blocking()) {
      return vertx.<Future<JsonObject>>executeBlocking(() -> stage.process(this), false).compose(f -> f);
    }
    try {
      Future<JsonObject> f = stage.process(this);
      return f == null ? Future.failedFuture(StageFailure.permanent(StageFailure.STAGE_FAILED,
        "stage '" + item.stage() + "' returned no future")) : f;
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public String jobId() {
    return item.jobId();
  }

  @Override
  public String stage() {
    return item.stage();
  }

  @Override
  public int attempt() {
    return item.attempt();
  }

  @Override
  public JsonObject job() {
    return job;
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public Future<Void> cancelled() {
    return cancelled.future();
  }
}
