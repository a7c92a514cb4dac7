package io.eco2.engine.stage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * What one execution of a stage sees: the job so far and the signal that the engine has given up on it.
 *
 * <p>{@link #job()} holds the submitted input ({@code image_url}, {@code user_input}, {@code model}) and the
 * outputs of every earlier stage, keyed as they returned them ({@code classification_result},
 * {@code disposal_rules}, ...). It is this execution's own copy.
 */
public interface StageContext {

  /** The job's id (a UUID string). */
  String jobId();

  /** The stage being run. */
  String stage();

  /** 0 for the first attempt, then 1, 2, ... for retries. */
  int attempt();

  /** The job's accumulated data. */
  JsonObject job();

  /** The Vert.x instance the execution runs on. */
  Vertx vertx();

  /**
   * Completes when the engine cancels this execution (timeout, the job's owner cancelled it, or shutdown). Work in progress should stop:
   * cancel timers, abort HTTP requests. Never fails.
   */
  Future<Void> cancelled();

  /** Whether {@link #cancelled()} has completed: blocking stages poll it. */
  default boolean isCancelled() {
    return cancelled().isComplete();
  }
}
