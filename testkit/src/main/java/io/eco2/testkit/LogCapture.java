package io.eco2.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Collectors;

/**
 * Captures java.util.logging records while open (what {@code System.getLogger}, Vert.x and, through
 * slf4j-jdk14, amqp-client log to by default): {@link #of} the warnings of one logger and its children (a
 * report that must not appear, or must), or {@link #everything()} at every level of the engine's, Vert.x's
 * and Netty's loggers (a secret that must appear in no line). Closing it removes the handler and restores the
 * levels it raised.
 */
public final class LogCapture implements AutoCloseable {

  private static final String[] PRODUCT_LOGGERS = {"io.eco2", "io.vertx", "io.netty"};

  // Strong references: JUL holds loggers weakly, and a collected logger would lose our handler or level.
  private final Logger attachedTo;
  private final List<Logger> raised = new ArrayList<>();
  private final List<Level> previous = new ArrayList<>();
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final SimpleFormatter formatter = new SimpleFormatter();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (isLoggable(record)) {
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

  private LogCapture(String loggerName, Level threshold, String... raise) {
    handler.setLevel(threshold);
    this.attachedTo = Logger.getLogger(loggerName);
    attachedTo.addHandler(handler);
    for (String name : raise) {
      Logger l = Logger.getLogger(name);
      raised.add(l);
      previous.add(l.getLevel());
      l.setLevel(threshold);
    }
  }

  /** Records at {@code WARNING} or above of {@code loggerName} and the loggers below it. */
  public static LogCapture of(String loggerName) {
    return new LogCapture(loggerName, Level.WARNING);
  }

  /** Every record of every logger, with the engine's, Vert.x's and Netty's loggers raised to {@code ALL}. */
  public static LogCapture everything() {
    return new LogCapture("", Level.ALL, PRODUCT_LOGGERS);
  }

  public List<LogRecord> records() {
    return List.copyOf(records);
  }

  /** Level and message of each record (with its exception), one a line, for failure messages. */
  public String messages() {
    return records.stream().map(r -> r.getLevel() + " " + r.getMessage()
      + (r.getThrown() == null ? "" : " (" + r.getThrown() + ")")).collect(Collectors.joining("\n"));
  }

  /** Every record formatted as it would be printed (message, parameters and stack trace). */
  public List<String> lines() {
    return records.stream().map(formatter::format).collect(Collectors.toList());
  }

  /** Fails when a captured record carries a stack trace (a client's bad input is no server fault). */
  public void assertNoStackTrace() {
    for (LogRecord r : records) {
      if (r.getThrown() != null) {
        throw new AssertionError("a log record carries a stack trace: " + r.getLevel() + " " + r.getMessage()
          + " (" + r.getThrown() + ")\nall captured:\n" + messages());
      }
    }
  }

  @Override
  public void close() {
    attachedTo.removeHandler(handler);
    for (int i = 0; i < raised.size(); i++) {
      raised.get(i).setLevel(previous.get(i));
    }
  }
}
