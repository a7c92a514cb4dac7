package io.eco2.engine.scaling;

import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * The autoscaler's latest decisions, immutable: what {@code GET /scaling/v1/desired} answers, the gauges
 * show and the KEDA external scaler reports.
 *
 * @param stages per stage, in pipeline order
 * @param desiredWorkers worker replicas to run: one worker process runs every stage, so the maximum over stages
 * @param currentWorkers worker replicas seen running (embedded mode: 1)
 * @param at when it was decided (epoch ms)
 */
public record ScalingView(Map<String, Stage> stages, int desiredWorkers, int currentWorkers, long at) {

  /**
   * One stage's figures and decision.
   *
   * @param desiredReplicas the recommendation for this stage alone
   * @param ready work waiting for the stage (not in flight)
   * @param inflight executions in flight over every worker
   * @param arrivalRate executions arriving per second over the window
   * @param serviceTimeP50Ms median execution time over the window (NaN: none finished)
   * @param serviceTimeMeanMs mean execution time used by the decision (NaN: not measured yet)
   * @param requiredConcurrency executions the stage should be able to run at once
   * @param limitedBy {@code llm_quota}, {@code max_replicas} or null
   */
  public record Stage(int desiredReplicas, long ready, long inflight, double arrivalRate, double serviceTimeP50Ms,
                      double serviceTimeMeanMs, long requiredConcurrency, String limitedBy) {
  }

  /** Whether any stage has work waiting or running (KEDA's IsActive). */
  public boolean active() {
    return stages.values().stream().anyMatch(s -> s.ready() > 0 || s.inflight() > 0);
  }

  /**
   * CONTRACT §6: {@code {"stages": {"vision": {"desired_replicas", "queue_depth", "inflight", "arrival_rate",
   * "service_time_p50_ms", ...}}, "workers": {"desired_replicas"}}}. {@code queue_depth} is the ready
   * backlog (in flight is its own field); unknown times are null.
   */
  public JsonObject toJson() {
    JsonObject s = new JsonObject();
    stages.forEach((name, v) -> s.put(name, new JsonObject()
      .put("desired_replicas", v.desiredReplicas())
      .put("queue_depth", v.ready())
      .put("inflight", v.inflight())
      .put("arrival_rate", round(v.arrivalRate(), 3))
      .put("service_time_p50_ms", Double.isNaN(v.serviceTimeP50Ms()) ? null : Math.round(v.serviceTimeP50Ms()))
      .put("service_time_mean_ms", Double.isNaN(v.serviceTimeMeanMs()) ? null : Math.round(v.serviceTimeMeanMs()))
      .put("required_concurrency", v.requiredConcurrency())
      .put("limited_by", v.limitedBy())));
    return new JsonObject().put("stages", s)
      .put("workers", new JsonObject().put("desired_replicas", desiredWorkers).put("current_replicas", currentWorkers))
      .put("active", active())
      .put("ts", at);
  }

  private static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
