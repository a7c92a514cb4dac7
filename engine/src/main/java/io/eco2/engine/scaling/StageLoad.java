package io.eco2.engine.scaling;

/**
 * What the autoscaler reads about the stages that run in this process, from their runtime: executions
 * finished, time spent in them, executions in flight and the execution times' histogram. Implemented by
 * {@link io.eco2.engine.metrics.PipelineMetrics}, where the stage workers record every execution; the
 * autoscaler depends on this interface, never on meter names, so renaming a meter cannot change a decision.
 * Read from the autoscaler's or the worker reporter's context, once per interval.
 */
public interface StageLoad {

  /** The figures of {@code stage} now; a stage with nothing recorded yet gives zeros and no buckets. */
  Figures figures(String stage);

  /**
   * One stage's figures, cumulative since the process started (except {@code inflight}).
   *
   * @param completed executions finished, any outcome
   * @param busySeconds time spent in those executions
   * @param inflight executions running now
   * @param boundsMillis upper bounds of the execution-time buckets, ascending (empty before the first finishes)
   * @param cumulative executions that took at most each bound (same length as {@code boundsMillis})
   */
  record Figures(long completed, double busySeconds, long inflight, double[] boundsMillis, double[] cumulative) {
  }
}
