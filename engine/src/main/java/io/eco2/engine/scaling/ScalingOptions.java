package io.eco2.engine.scaling;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code scaling} configuration section: how the autoscaler decides and where it answers
 * (docs/SCALING.md).
 *
 * <p>A data object in the Vert.x style: the {@code DEFAULT_*} constants are the only source of the
 * defaults (the schema, {@code conf/application.yaml}, the README and docs/SCALING.md are checked against
 * or taken from them); {@link #ScalingOptions(JsonObject)} reads the section and {@link #toJson()} writes it.
 */
public final class ScalingOptions {

  /** {@code scaling.enabled}: the autoscaler runs (api, all) and distributed workers report. */
  public static final boolean DEFAULT_ENABLED = true;
  /** {@code scaling.interval-ms}: how often decisions are taken. */
  public static final long DEFAULT_INTERVAL_MS = 1000;
  /** {@code scaling.window-seconds}: the window of arrival rates and service times. */
  public static final double DEFAULT_WINDOW_SECONDS = 30;
  /** {@code scaling.target-drain-seconds}: a backlog should drain within this time. */
  public static final double DEFAULT_TARGET_DRAIN_SECONDS = 30;
  /** {@code scaling.min-replicas}. */
  public static final int DEFAULT_MIN_REPLICAS = 1;
  /** {@code scaling.max-replicas}. */
  public static final int DEFAULT_MAX_REPLICAS = 10;
  /** {@code scaling.scale-down-stabilization-seconds}: a lower recommendation must hold this long. */
  public static final double DEFAULT_SCALE_DOWN_STABILIZATION_SECONDS = 60;
  /** {@code scaling.elastic-concurrency}: embedded mode leaves concurrency as configured. */
  public static final boolean DEFAULT_ELASTIC_CONCURRENCY = false;
  /** {@code scaling.min-concurrency}. */
  public static final int DEFAULT_MIN_CONCURRENCY = 8;
  /** {@code scaling.max-concurrency}. */
  public static final int DEFAULT_MAX_CONCURRENCY = 4096;
  /** {@code scaling.grpc-port}: the KEDA external scaler is off. */
  public static final int DEFAULT_GRPC_PORT = -1;
  /** {@code scaling.worker-report-interval-ms}. */
  public static final long DEFAULT_WORKER_REPORT_INTERVAL_MS = 1000;
  /**
   * {@code scaling.llm-stages}: none named, which counts every stage of the pipeline as one that calls the
   * LLM (a product's defaults layer names its own: the Eco² one names vision and answer).
   */
  public static final List<String> DEFAULT_LLM_STAGES = List.of();

  private boolean enabled = DEFAULT_ENABLED;
  private long intervalMs = DEFAULT_INTERVAL_MS;
  private double windowSeconds = DEFAULT_WINDOW_SECONDS;
  private double targetDrainSeconds = DEFAULT_TARGET_DRAIN_SECONDS;
  private int minReplicas = DEFAULT_MIN_REPLICAS;
  private int maxReplicas = DEFAULT_MAX_REPLICAS;
  private double scaleDownStabilizationSeconds = DEFAULT_SCALE_DOWN_STABILIZATION_SECONDS;
  private boolean elasticConcurrency = DEFAULT_ELASTIC_CONCURRENCY;
  private int minConcurrency = DEFAULT_MIN_CONCURRENCY;
  private int maxConcurrency = DEFAULT_MAX_CONCURRENCY;
  private int grpcPort = DEFAULT_GRPC_PORT;
  private long workerReportIntervalMs = DEFAULT_WORKER_REPORT_INTERVAL_MS;
  private List<String> llmStages = DEFAULT_LLM_STAGES;

  public ScalingOptions() {
  }

  public ScalingOptions(ScalingOptions other) {
    this(other.toJson());
  }

  /** Reads the {@code scaling} section; absent keys keep their defaults. */
  public ScalingOptions(JsonObject json) {
    enabled = json.getBoolean("enabled", enabled);
    intervalMs = json.getLong("interval-ms", intervalMs);
    windowSeconds = json.getDouble("window-seconds", windowSeconds);
    targetDrainSeconds = json.getDouble("target-drain-seconds", targetDrainSeconds);
    minReplicas = json.getInteger("min-replicas", minReplicas);
    maxReplicas = json.getInteger("max-replicas", maxReplicas);
    scaleDownStabilizationSeconds = json.getDouble("scale-down-stabilization-seconds", scaleDownStabilizationSeconds);
    elasticConcurrency = json.getBoolean("elastic-concurrency", elasticConcurrency);
    minConcurrency = json.getInteger("min-concurrency", minConcurrency);
    maxConcurrency = json.getInteger("max-concurrency", maxConcurrency);
    grpcPort = json.getInteger("grpc-port", grpcPort);
    workerReportIntervalMs = json.getLong("worker-report-interval-ms", workerReportIntervalMs);
    JsonArray stages = json.getJsonArray("llm-stages");
    if (stages != null) {
      List<String> names = new ArrayList<>();
      stages.forEach(s -> names.add(String.valueOf(s)));
      llmStages = List.copyOf(names);
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("enabled", enabled).put("interval-ms", intervalMs).put("window-seconds", windowSeconds)
      .put("target-drain-seconds", targetDrainSeconds).put("min-replicas", minReplicas).put("max-replicas", maxReplicas)
      .put("scale-down-stabilization-seconds", scaleDownStabilizationSeconds)
      .put("elastic-concurrency", elasticConcurrency).put("min-concurrency", minConcurrency)
      .put("max-concurrency", maxConcurrency).put("grpc-port", grpcPort)
      .put("worker-report-interval-ms", workerReportIntervalMs).put("llm-stages", new JsonArray(llmStages));
  }

  private static Duration seconds(double s) {
    return Duration.ofMillis(Math.round(s * 1000));
  }

  /** Whether the autoscaler runs (api and all roles) and workers report (distributed mode). */
  public boolean enabled() { return enabled; }
  public ScalingOptions setEnabled(boolean enabled) { this.enabled = enabled; return this; }

  /** How often decisions are taken. */
  public Duration interval() { return Duration.ofMillis(intervalMs); }
  public ScalingOptions setIntervalMs(long ms) { this.intervalMs = ms; return this; }

  /** The sliding window over which arrival rates and service times are measured. */
  public Duration window() { return seconds(windowSeconds); }
  public ScalingOptions setWindowSeconds(double s) { this.windowSeconds = s; return this; }

  /** The time within which a backlog should be drained. */
  public Duration targetDrain() { return seconds(targetDrainSeconds); }
  public ScalingOptions setTargetDrainSeconds(double s) { this.targetDrainSeconds = s; return this; }

  public int minReplicas() { return minReplicas; }
  public ScalingOptions setMinReplicas(int n) { this.minReplicas = n; return this; }

  public int maxReplicas() { return maxReplicas; }
  public ScalingOptions setMaxReplicas(int n) { this.maxReplicas = n; return this; }

  /** How long a lower recommendation must hold before it is followed. */
  public Duration scaleDownStabilization() { return seconds(scaleDownStabilizationSeconds); }
  public ScalingOptions setScaleDownStabilizationSeconds(double s) { this.scaleDownStabilizationSeconds = s; return this; }

  /** Embedded mode: whether decisions resize each stage's concurrency. */
  public boolean elasticConcurrency() { return elasticConcurrency; }
  public ScalingOptions setElasticConcurrency(boolean on) { this.elasticConcurrency = on; return this; }

  public int minConcurrency() { return minConcurrency; }
  public ScalingOptions setMinConcurrency(int n) { this.minConcurrency = n; return this; }

  public int maxConcurrency() { return maxConcurrency; }
  public ScalingOptions setMaxConcurrency(int n) { this.maxConcurrency = n; return this; }

  /** The KEDA external scaler's port: -1 off, 0 any free port. */
  public int grpcPort() { return grpcPort; }
  public ScalingOptions setGrpcPort(int port) { this.grpcPort = port; return this; }

  /** Distributed mode: how often each worker publishes its report. */
  public Duration workerReportInterval() { return Duration.ofMillis(workerReportIntervalMs); }
  public ScalingOptions setWorkerReportIntervalMs(long ms) { this.workerReportIntervalMs = ms; return this; }

  /** The stages whose executions wait on the LLM quota (when the quota meters carry no stage). */
  public List<String> llmStages() { return llmStages; }
  public ScalingOptions setLlmStages(List<String> stages) { this.llmStages = List.copyOf(stages); return this; }

  /** The calculator's part of these options. */
  public ReplicaCalculator.Limits limits() {
    return new ReplicaCalculator.Limits(targetDrain().toMillis() / 1000.0, minReplicas, maxReplicas,
      scaleDownStabilization().toMillis());
  }
}
