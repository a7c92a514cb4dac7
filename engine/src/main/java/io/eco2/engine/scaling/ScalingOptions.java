package io.eco2.engine.scaling;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;

/**
 * The {@code scaling.*} configuration: how the autoscaler decides and where it answers.
 *
 * @param enabled whether the autoscaler runs (api and all roles) and workers report (distributed mode)
 * @param interval how often decisions are taken
 * @param targetDrain the time within which a backlog should be drained
 * @param minReplicas the fewest worker replicas recommended
 * @param maxReplicas the most worker replicas recommended
 * @param scaleDownStabilization how long a lower recommendation must hold before it is followed
 * @param window the sliding window over which arrival rates and service times are measured
 * @param elasticConcurrency embedded mode: whether decisions resize each stage's concurrency
 * @param minConcurrency embedded elasticity: the least concurrency per worker instance
 * @param maxConcurrency embedded elasticity: the most concurrency per worker instance
 * @param grpcPort the KEDA external scaler's port: -1 off, 0 any free port
 * @param workerReportInterval distributed mode: how often each worker publishes its report
 * @param llmStages the stages whose executions wait on the LLM quota (when the quota meters carry no stage)
 */
public record ScalingOptions(boolean enabled, Duration interval, Duration targetDrain, int minReplicas, int maxReplicas,
                             Duration scaleDownStabilization, Duration window, boolean elasticConcurrency,
                             int minConcurrency, int maxConcurrency, int grpcPort, Duration workerReportInterval,
                             List<String> llmStages) {

  /** Reads the {@code scaling} section (already validated and filled with defaults by the config loader). */
  public static ScalingOptions fromConfig(JsonObject config) {
    JsonObject s = config.getJsonObject("scaling", new JsonObject());
    List<String> llm = s.getJsonArray("llm-stages", new JsonArray(List.of("vision", "answer"))).stream()
      .map(String::valueOf).toList();
    return new ScalingOptions(
      s.getBoolean("enabled", true),
      Duration.ofMillis(s.getLong("interval-ms", 1000L)),
      Duration.ofMillis(Math.round(s.getDouble("target-drain-seconds", 30.0) * 1000)),
      s.getInteger("min-replicas", 1),
      s.getInteger("max-replicas", 10),
      Duration.ofMillis(Math.round(s.getDouble("scale-down-stabilization-seconds", 120.0) * 1000)),
      Duration.ofMillis(Math.round(s.getDouble("window-seconds", 30.0) * 1000)),
      s.getBoolean("elastic-concurrency", false),
      s.getInteger("min-concurrency", 8),
      s.getInteger("max-concurrency", 1024),
      s.getInteger("grpc-port", -1),
      Duration.ofMillis(s.getLong("worker-report-interval-ms", 1000L)),
      llm);
  }

  /** The calculator's part of these options. */
  public ReplicaCalculator.Limits limits() {
    return new ReplicaCalculator.Limits(targetDrain.toMillis() / 1000.0, minReplicas, maxReplicas, scaleDownStabilization.toMillis());
  }
}
