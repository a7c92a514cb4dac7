package io.eco2.engine.stage;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * A pipeline stage: the unit a stage author implements and the engine runs as actors.
 *
 * <p>Stages are discovered by {@link #name()} through {@link java.util.ServiceLoader}: a plugin jar lists
 * its implementations in {@code META-INF/services/io.eco2.engine.stage.Stage} and the pipeline names them in
 * {@code pipeline.stages}. One {@code Stage} object serves every worker instance of its stage, so
 * {@link #process} must be safe to call concurrently from several event loops.
 *
 * <p>The engine promises: {@link #init} completes before the first {@link #process}; at most
 * {@link StagePolicy#concurrency()} executions run at once per worker instance; an execution that outlives
 * {@link StagePolicy#timeout()} is cancelled through {@link StageContext#cancelled()}; a failure is retried
 * as the policy says, then {@link #fallback} is asked, and only then the job fails.
 */
public interface Stage {

  /** The stage's name: the key in {@code pipeline.stages}, {@code stages.<name>} and the SSE {@code event:} line. */
  String name();

  /** The policy this stage runs with unless {@code stages.<name>.*} configuration overrides it. */
  default StagePolicy defaultPolicy() {
    return new StagePolicy();
  }

  /** Prepares the stage once per process (load resources, deploy helper verticles). */
  default Future<Void> init(StageSetup setup) {
    return Future.succeededFuture();
  }

  /**
   * Runs the stage for one job.
   *
   * @param ctx the job so far and the execution's cancellation signal
   * @return the stage's output: its fields are merged into the job and it is the {@code result} of the
   *     stage's {@code completed} event. Fail with a {@link StageFailure} to choose the error code and
   *     whether a retry can help.
   */
  Future<JsonObject> process(StageContext ctx);

  /**
   * The output to use when every attempt failed, or {@code null} when the job must fail instead.
   * A non-null fallback marks the job as degraded by this stage.
   */
  default JsonObject fallback(StageContext ctx, Throwable cause) {
    return null;
  }

  /** Releases what {@link #init} acquired. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
