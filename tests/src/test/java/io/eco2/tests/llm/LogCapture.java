package io.eco2.tests.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Captures every java.util.logging record (what {@code System.getLogger} writes to by default) while open,
 * at every level of the engine's and Vert.x's loggers, formatted as they would be printed.
 */
final class LogCapture implements AutoCloseable {

  private static final String[] LOGGERS = {"io.eco2", "io.vertx", "io.netty"};

  private final Logger root = Logger.getLogger("");
  private final List<Logger> raised = new ArrayList<>();
  private final List<Level> previous = new ArrayList<>();
  private final List<String> lines = new ArrayList<>();
  private final SimpleFormatter formatter = new SimpleFormatter();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord r) {
      synchronized (lines) {
        lines.add(formatter.format(r));
      }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };

  LogCapture() {
    handler.setLevel(Level.ALL);
    root.addHandler(handler);
    for (String name : LOGGERS) {
      Logger l = Logger.getLogger(name);
      raised.add(l);
      previous.add(l.getLevel());
      l.setLevel(Level.ALL);
    }
  }

  /** Every record so far, formatted (message, parameters and stack trace). */
  List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  @Override
  public void close() {
    root.removeHandler(handler);
    for (int i = 0; i < raised.size(); i++) {
      raised.get(i).setLevel(previous.get(i));
    }
  }
}
