package io.eco2.engine.runtime;

import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * The {@code watchdog} configuration section: how stalled jobs are found, re-driven and ended.
 *
 * <p>A data object in the Vert.x style: the {@code DEFAULT_*} constants are the only source of the
 * defaults; {@link #WatchdogOptions(JsonObject)} reads the section and {@link #toJson()} writes it.
 */
public final class WatchdogOptions {

  /** {@code watchdog.enabled}: on; every job ends. */
  public static final boolean DEFAULT_ENABLED = true;
  /** {@code watchdog.sweep-interval-ms}: a sweep every 5 s (the lease lasts three intervals). */
  public static final long DEFAULT_SWEEP_INTERVAL_MS = 5_000;
  /**
   * {@code watchdog.margin-ms}: a minute on top of the longest a stage can legitimately take, for the time a
   * job waits in a busy stage's queue, which no policy bounds.
   */
  public static final long DEFAULT_MARGIN_MS = 60_000;
  /** {@code watchdog.max-redrives}: a stalled job is re-driven twice, then ended with {@code STALLED}. */
  public static final int DEFAULT_MAX_REDRIVES = 2;
  /** {@code watchdog.batch-size}: jobs looked at per sweep at most. */
  public static final int DEFAULT_BATCH_SIZE = 100;

  private boolean enabled = DEFAULT_ENABLED;
  private long sweepIntervalMs = DEFAULT_SWEEP_INTERVAL_MS;
  private long marginMs = DEFAULT_MARGIN_MS;
  private int maxRedrives = DEFAULT_MAX_REDRIVES;
  private int batchSize = DEFAULT_BATCH_SIZE;

  public WatchdogOptions() {
  }

  public WatchdogOptions(WatchdogOptions other) {
    this(other.toJson());
  }

  /** Reads the {@code watchdog} section; absent keys keep their defaults. */
  public WatchdogOptions(JsonObject json) {
    enabled = json.getBoolean("enabled", enabled);
    sweepIntervalMs = json.getLong("sweep-interval-ms", sweepIntervalMs);
    marginMs = json.getLong("margin-ms", marginMs);
    maxRedrives = json.getInteger("max-redrives", maxRedrives);
    batchSize = json.getInteger("batch-size", batchSize);
  }

  public JsonObject toJson() {
    return new JsonObject().put("enabled", enabled).put("sweep-interval-ms", sweepIntervalMs)
      .put("margin-ms", marginMs).put("max-redrives", maxRedrives).put("batch-size", batchSize);
  }

  public boolean isEnabled() { return enabled; }
  public WatchdogOptions setEnabled(boolean enabled) { this.enabled = enabled; return this; }

  public Duration sweepInterval() { return Duration.ofMillis(sweepIntervalMs); }
  public WatchdogOptions setSweepIntervalMs(long ms) { this.sweepIntervalMs = ms; return this; }

  public Duration margin() { return Duration.ofMillis(marginMs); }
  public WatchdogOptions setMarginMs(long ms) { this.marginMs = ms; return this; }

  public int maxRedrives() { return maxRedrives; }
  public WatchdogOptions setMaxRedrives(int n) { this.maxRedrives = n; return this; }

  public int batchSize() { return batchSize; }
  public WatchdogOptions setBatchSize(int n) { this.batchSize = n; return this; }
}
