package io.eco2.engine.logging;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * The {@code log} configuration section: the format of log lines and the level of the per-job outcome line.
 *
 * <p>A data object in the Vert.x style: the {@code DEFAULT_*} constants are the only source of the
 * defaults; {@link #LogOptions(JsonObject)} reads the section and {@link #toJson()} writes it.
 */
public final class LogOptions {

  /** {@code log.format}: one readable line per record. */
  public static final String DEFAULT_FORMAT = "text";
  /** {@code log.job-level}. */
  public static final String DEFAULT_JOB_LEVEL = JobOutcomeLog.DEFAULT_LEVEL;

  private String format = DEFAULT_FORMAT;
  private String jobLevel = DEFAULT_JOB_LEVEL;

  public LogOptions() {
  }

  /** Reads the {@code log} section; absent keys keep their defaults. */
  public LogOptions(JsonObject json) {
    format = json.getString("format", format);
    jobLevel = json.getString("job-level", jobLevel);
  }

  public JsonObject toJson() {
    return new JsonObject().put("format", format).put("job-level", jobLevel);
  }

  /** Applies these settings to the process's logging (before the engine starts, so its own lines follow them). */
  public void apply() {
    LogFormat.of(format).apply();
    JobOutcomeLog.setLevel(jobLevel);
  }

  public String getFormat() { return format; }
  public LogOptions setFormat(String format) { this.format = Objects.requireNonNull(format); return this; }

  public String getJobLevel() { return jobLevel; }
  public LogOptions setJobLevel(String jobLevel) { this.jobLevel = Objects.requireNonNull(jobLevel); return this; }
}
