package io.eco2.engine.config;

import java.util.Locale;

/** What a process runs (CONTRACT §1): the {@code role} key, which the {@code --role} flag overrides. */
public enum Role {
  /** HTTP API and SSE, every stage worker, the autoscaler. */
  ALL,
  /** HTTP API, SSE and the autoscaler's endpoints. */
  API,
  /** The stage workers, with a small HTTP server for health and metrics. */
  WORKER;

  public boolean runsApi() {
    return this != WORKER;
  }

  public boolean runsWorkers() {
    return this != API;
  }

  /** Parses {@code all}, {@code api} or {@code worker}, naming the key in the error. */
  public static Role parse(String key, String value) {
    for (Role r : values()) {
      if (r.name().equalsIgnoreCase(value == null ? "" : value.trim())) {
        return r;
      }
    }
    throw new IllegalArgumentException(key + ": must be one of all, api, worker, got '" + value + "'");
  }

  /** The configuration spelling: {@code all}, {@code api}, {@code worker}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
