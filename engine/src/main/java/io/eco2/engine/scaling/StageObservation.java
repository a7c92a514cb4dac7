package io.eco2.engine.scaling;

/**
 * What the autoscaler reads about one stage at one instant, over every worker. Counters are cumulative
 * (monotonic over the observer's life) so that rates come from differencing them over a sliding window.
 *
 * @param completed executions finished (any outcome), cumulative
 * @param busySeconds time spent in those executions, cumulative
 * @param inflight executions in flight now
 * @param ready work waiting for the stage now (not in flight)
 * @param p50Millis median execution time over the recent window, or NaN when none finished
 * @param quotaWaiters callers waiting on the LLM quota now (gauge {@code llm_quota_waiting})
 * @param quotaWaitSeconds time spent waiting on the LLM quota, cumulative ({@code llm_quota_wait_seconds})
 * @param perReplicaConcurrency executions one replica (worker process) runs at once
 * @param currentReplicas worker replicas running the stage now
 */
public record StageObservation(long completed, double busySeconds, long inflight, long ready, double p50Millis,
                               double quotaWaiters, double quotaWaitSeconds, int perReplicaConcurrency,
                               int currentReplicas) {
}
