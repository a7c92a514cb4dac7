package io.eco2.engine.config;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@code redis} configuration section: the one Redis client of a distributed-mode process (its pool for
 * commands, and the separate live-event connection), shared by the event log, the worker reports and the
 * rate limiter.
 *
 * <p>A data object in the Vert.x style: the {@code DEFAULT_*} constants are the only source of the
 * defaults; {@link #RedisOptions(JsonObject)} reads the section and {@link #toJson()} writes it.
 * {@link #toString()} never shows the URL, which may carry a password.
 */
public final class RedisOptions {

  /** {@code redis.url}. */
  public static final String DEFAULT_URL = "redis://127.0.0.1:6379";
  /** {@code redis.key-prefix}: keys are {@code scan:events:<job>}, ... */
  public static final String DEFAULT_KEY_PREFIX = "scan";
  /** {@code redis.pool-size}: pooled connections for commands, per process. */
  public static final int DEFAULT_POOL_SIZE = 8;
  /**
   * {@code redis.pool-waiters}: commands that may wait for a pooled connection; above the default stages'
   * 16,384 executions in flight plus submits, each of which may wait at once.
   */
  public static final int DEFAULT_POOL_WAITERS = 32_768;
  /** {@code redis.reconnect-initial-ms}: first delay before the live-event connection reconnects. */
  public static final long DEFAULT_RECONNECT_INITIAL_MS = 200;
  /** {@code redis.reconnect-max-ms}: longest delay between its reconnect attempts. */
  public static final long DEFAULT_RECONNECT_MAX_MS = 5000;

  private String url = DEFAULT_URL;
  private String keyPrefix = DEFAULT_KEY_PREFIX;
  private int poolSize = DEFAULT_POOL_SIZE;
  private int poolWaiters = DEFAULT_POOL_WAITERS;
  private long reconnectInitialMs = DEFAULT_RECONNECT_INITIAL_MS;
  private long reconnectMaxMs = DEFAULT_RECONNECT_MAX_MS;

  public RedisOptions() {
  }

  public RedisOptions(RedisOptions other) {
    this(other.toJson());
  }

  /** Reads the {@code redis} section; absent keys keep their defaults. */
  public RedisOptions(JsonObject json) {
    url = json.getString("url", url);
    keyPrefix = json.getString("key-prefix", keyPrefix);
    poolSize = json.getInteger("pool-size", poolSize);
    poolWaiters = json.getInteger("pool-waiters", poolWaiters);
    reconnectInitialMs = json.getLong("reconnect-initial-ms", reconnectInitialMs);
    reconnectMaxMs = json.getLong("reconnect-max-ms", reconnectMaxMs);
  }

  public JsonObject toJson() {
    return new JsonObject().put("url", url).put("key-prefix", keyPrefix).put("pool-size", poolSize)
      .put("pool-waiters", poolWaiters).put("reconnect-initial-ms", reconnectInitialMs)
      .put("reconnect-max-ms", reconnectMaxMs);
  }

  /** The connection string; may carry a password, so never log it. */
  public String getUrl() { return url; }
  public RedisOptions setUrl(String url) { this.url = Objects.requireNonNull(url); return this; }

  public String getKeyPrefix() { return keyPrefix; }
  public RedisOptions setKeyPrefix(String keyPrefix) { this.keyPrefix = Objects.requireNonNull(keyPrefix); return this; }

  public int getPoolSize() { return poolSize; }
  public RedisOptions setPoolSize(int poolSize) { this.poolSize = poolSize; return this; }

  public int getPoolWaiters() { return poolWaiters; }
  public RedisOptions setPoolWaiters(int poolWaiters) { this.poolWaiters = poolWaiters; return this; }

  public long getReconnectInitialMs() { return reconnectInitialMs; }
  public RedisOptions setReconnectInitialMs(long ms) { this.reconnectInitialMs = ms; return this; }

  public long getReconnectMaxMs() { return reconnectMaxMs; }
  public RedisOptions setReconnectMaxMs(long ms) { this.reconnectMaxMs = ms; return this; }

  public Duration reconnectInitial() { return Duration.ofMillis(reconnectInitialMs); }

  public Duration reconnectMax() { return Duration.ofMillis(reconnectMaxMs); }

  @Override
  public String toString() {
    return "RedisOptions{keyPrefix=" + keyPrefix + ", poolSize=" + poolSize + ", poolWaiters=" + poolWaiters
      + ", reconnect=" + reconnectInitialMs + ".." + reconnectMaxMs + "ms}";
  }
}
