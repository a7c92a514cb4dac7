package io.eco2.engine.eventlog;

import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * The {@code event-log} configuration section: how long jobs are remembered.
 *
 * <p>A data object in the Vert.x style: the {@code DEFAULT_*} constants are the only source of the
 * defaults; {@link #EventLogOptions(JsonObject)} reads the section and {@link #toJson()} writes it.
 */
public final class EventLogOptions {

  /** {@code event-log.ttl-seconds}: events and results expire an hour after a job's last event. */
  public static final long DEFAULT_TTL_SECONDS = 3600;
  /** {@code event-log.max-jobs}: embedded mode keeps at most this many jobs in memory. */
  public static final int DEFAULT_MAX_JOBS = 100_000;

  /**
   * {@code event-log.max-bytes}: 0, a quarter of the maximum heap (embedded mode bounds the estimated heap
   * of the jobs it keeps, evicting finished jobs, the first finished first; running jobs never).
   */
  public static final long DEFAULT_MAX_BYTES = io.eco2.engine.eventlog.memory.InMemoryEventLog.AUTO_MAX_BYTES;

  private long maxBytes = DEFAULT_MAX_BYTES;
  private long ttlSeconds = DEFAULT_TTL_SECONDS;
  private int maxJobs = DEFAULT_MAX_JOBS;

  public EventLogOptions() {
  }

  public EventLogOptions(EventLogOptions other) {
    this(other.toJson());
  }

  /** Reads the {@code event-log} section; absent keys keep their defaults. */
  public EventLogOptions(JsonObject json) {
    ttlSeconds = json.getLong("ttl-seconds", ttlSeconds);
    maxJobs = json.getInteger("max-jobs", maxJobs);
    maxBytes = json.getLong("max-bytes", maxBytes);
  }

  public JsonObject toJson() {
    return new JsonObject().put("ttl-seconds", ttlSeconds).put("max-jobs", maxJobs).put("max-bytes", maxBytes);
  }

  public long getTtlSeconds() { return ttlSeconds; }
  public EventLogOptions setTtlSeconds(long ttlSeconds) { this.ttlSeconds = ttlSeconds; return this; }

  public Duration ttl() { return Duration.ofSeconds(ttlSeconds); }

  /** Embedded mode: the estimated heap of the jobs kept at most; 0 = a quarter of the maximum heap. */
  public long getMaxBytes() { return maxBytes; }
  public EventLogOptions setMaxBytes(long maxBytes) { this.maxBytes = maxBytes; return this; }

  public int getMaxJobs() { return maxJobs; }
  public EventLogOptions setMaxJobs(int maxJobs) { this.maxJobs = maxJobs; return this; }
}
