package io.eco2.engine.runtime;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code pipeline} configuration section: the stages a job goes through and how long a shutdown waits.
 *
 * <p>A data object in the Vert.x style: the {@code DEFAULT_*} constants are the only source of the
 * defaults; {@link #PipelineOptions(JsonObject)} reads the section and {@link #toJson()} writes it.
 */
public final class PipelineOptions {

  /**
   * {@code pipeline.stages}: none. The engine ships no stages: a product's defaults layer (the Eco² stages
   * module's gives vision, rule, answer, reward), the configuration or the embedding application names them,
   * and an engine started without any fails naming this key.
   */
  public static final List<String> DEFAULT_STAGES = List.of();
  /** {@code pipeline.drain-seconds}: on SIGTERM, in-flight jobs get this long to finish. */
  public static final long DEFAULT_DRAIN_SECONDS = 30;

  /** {@code pipeline.cancel-check-ms}: how often a worker asks whether a job it runs was cancelled. */
  public static final long DEFAULT_CANCEL_CHECK_MS = 250;

  private long cancelCheckMs = DEFAULT_CANCEL_CHECK_MS;
  private List<String> stages = DEFAULT_STAGES;
  private long drainSeconds = DEFAULT_DRAIN_SECONDS;

  public PipelineOptions() {
  }

  public PipelineOptions(PipelineOptions other) {
    this(other.toJson());
  }

  /** Reads the {@code pipeline} section; absent keys keep their defaults. */
  public PipelineOptions(JsonObject json) {
    JsonArray names = json.getJsonArray("stages");
    if (names != null) {
      List<String> list = new ArrayList<>();
      names.forEach(n -> list.add(String.valueOf(n)));
      stages = List.copyOf(list);
    }
    drainSeconds = json.getLong("drain-seconds", drainSeconds);
    cancelCheckMs = json.getLong("cancel-check-ms", cancelCheckMs);
  }

  public JsonObject toJson() {
    return new JsonObject().put("stages", new JsonArray(stages)).put("drain-seconds", drainSeconds)
      .put("cancel-check-ms", cancelCheckMs);
  }

  /** The stage names, in order. */
  public List<String> getStages() { return stages; }
  public PipelineOptions setStages(List<String> stages) { this.stages = List.copyOf(stages); return this; }

  public long getDrainSeconds() { return drainSeconds; }
  public PipelineOptions setDrainSeconds(long drainSeconds) { this.drainSeconds = drainSeconds; return this; }

  public Duration drain() { return Duration.ofSeconds(drainSeconds); }

  public Duration cancelCheck() { return Duration.ofMillis(cancelCheckMs); }
  public PipelineOptions setCancelCheckMs(long ms) { this.cancelCheckMs = ms; return this; }
}
