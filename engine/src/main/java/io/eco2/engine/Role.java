package io.eco2.engine;

/** What a process runs (CONTRACT §1). */
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

  @Override
  public String toString() {
    return name().toLowerCase();
  }
}
