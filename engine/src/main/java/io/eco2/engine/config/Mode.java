package io.eco2.engine.config;

import java.util.Locale;

/** Where an engine keeps its queues and its event log: the {@code mode} key (CONTRACT §7). */
public enum Mode {
  /** One process: the event bus between stages, the event log in memory. */
  EMBEDDED,
  /** Many processes: RabbitMQ between stages, the event log in Redis. */
  DISTRIBUTED;

  /** Parses {@code embedded} or {@code distributed}, naming the key in the error. */
  public static Mode parse(String key, String value) {
    for (Mode m : values()) {
      if (m.name().equalsIgnoreCase(value == null ? "" : value.trim())) {
        return m;
      }
    }
    throw new IllegalArgumentException(key + ": must be one of embedded, distributed, got '" + value + "'");
  }

  /** The configuration spelling: {@code embedded}, {@code distributed}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
