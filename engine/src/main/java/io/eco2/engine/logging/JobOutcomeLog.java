package io.eco2.engine.logging;

import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The one line a worker writes per job and stage outcome ({@code completed}, {@code retrying},
 * {@code fallback}, {@code failed}), with the job id as a {@link JobRef} so JSON lines carry {@code job_id}.
 * Logger {@value #LOGGER}; its level is {@code log.job-level} (INFO by default; {@code OFF} silences it),
 * set once per process by the launcher: JUL's configuration is process-wide, so this is too.
 */
public final class JobOutcomeLog {

  /** The logger name of the outcome lines (filter on it in a log search). */
  public static final String LOGGER = "io.eco2.engine.jobs";
  /** The default of {@code log.job-level}. */
  public static final String DEFAULT_LEVEL = "INFO";

  private static final Logger LOG = Logger.getLogger(LOGGER);
  private static volatile Level level = Level.INFO;

  private JobOutcomeLog() {
  }

  /**
   * Sets the level of the outcome lines: a {@link System.Logger.Level} name ({@code TRACE}, {@code DEBUG},
   * {@code INFO}, {@code WARNING}, {@code ERROR}, {@code OFF}).
   */
  public static void setLevel(String name) {
    level = switch (System.Logger.Level.valueOf(name.toUpperCase(Locale.ROOT))) {
      case ALL, TRACE -> Level.FINER;
      case DEBUG -> Level.FINE;
      case INFO -> Level.INFO;
      case WARNING -> Level.WARNING;
      case ERROR -> Level.SEVERE;
      case OFF -> Level.OFF;
    };
  }

  /**
   * Logs one outcome: {@code job <id> stage <stage> <outcome> after <ms> ms (attempt <n>)[: <detail>]}.
   *
   * @param detail the error code and message, or the retry delay; null for none
   */
  public static void outcome(String jobId, String stage, String outcome, long elapsedMs, int attempt, String detail) {
    Level l = level;
    if (l == Level.OFF || !LOG.isLoggable(l)) {
      return;
    }
    LogRecord record = new LogRecord(l, "job {0} stage {1} {2} after {3} ms (attempt {4}){5}");
    record.setLoggerName(LOGGER);
    // Set, not inferred: without a source the formatter walks the stack for it on every line, which was a
    // few percent of the embedded engine's CPU at four lines per job.
    record.setSourceClassName(JobOutcomeLog.class.getName());
    record.setSourceMethodName("outcome");
    record.setParameters(new Object[] {new JobRef(jobId), stage, outcome, Long.toString(elapsedMs),
      Integer.toString(attempt + 1), detail == null ? "" : ": " + detail});
    LOG.log(record);
  }
}
