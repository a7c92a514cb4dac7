package io.eco2.tests.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Records what a {@code java.util.logging} logger (and so a {@code System.Logger} or Vert.x logger of the
 * same name, both of which log through JUL here) logs at {@code WARNING} or above while open.
 */
public final class LogCapture implements AutoCloseable {

  private final Logger logger;
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
        records.add(record);
      }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };

  private LogCapture(String loggerName) {
    // Keep a strong reference: JUL holds loggers weakly, and a collected logger would lose our handler.
    this.logger = Logger.getLogger(loggerName);
    logger.addHandler(handler);
  }

  public static LogCapture of(String loggerName) {
    return new LogCapture(loggerName);
  }

  public List<LogRecord> records() {
    return List.copyOf(records);
  }

  /** The captured messages, one a line, for failure messages. */
  public String messages() {
    return records.stream().map(r -> r.getLevel() + " " + r.getMessage()
      + (r.getThrown() == null ? "" : " (" + r.getThrown() + ")")).collect(Collectors.joining("\n"));
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
  }
}
