package io.eco2.engine.logging;

import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * {@code log.format: json}: one JSON object per line, {@code time} (ISO-8601, UTC), {@code level},
 * {@code logger}, {@code message}, {@code job_id} when the record has a {@link JobRef} parameter, and
 * {@code error} (the stack trace) when it has a throwable. What log collectors in a cluster parse without a
 * pattern; a message's own newlines stay inside its string.
 */
public final class JsonLineFormatter extends Formatter {

  @Override
  public String format(LogRecord record) {
    JsonObject line = new JsonObject()
      .put("time", Instant.ofEpochMilli(record.getMillis()).toString())
      .put("level", record.getLevel().getName())
      .put("logger", record.getLoggerName())
      .put("message", formatMessage(record));
    Object[] params = record.getParameters();
    if (params != null) {
      for (Object p : params) {
        if (p instanceof JobRef ref) {
          line.put("job_id", ref.jobId());
          break;
        }
      }
    }
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(trace));
      line.put("error", trace.toString());
    }
    return line.encode() + System.lineSeparator();
  }
}
