package io.eco2.engine.logging;

import java.util.Locale;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * {@code log.format}: how the process writes its log lines. {@code text} is one human-readable line per record
 * ({@code java.util.logging.SimpleFormatter}, the launcher's pattern); {@code json} is {@link JsonLineFormatter}.
 */
public enum LogFormat {
  TEXT, JSON;

  /** The configured name ({@code text} or {@code json}). */
  public static LogFormat of(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  /** Puts this format on every handler of the root logger (the console handler of the launcher). */
  public void apply() {
    for (Handler h : Logger.getLogger("").getHandlers()) {
      h.setFormatter(formatter());
    }
  }

  private Formatter formatter() {
    return this == JSON ? new JsonLineFormatter() : new SimpleFormatter();
  }
}
