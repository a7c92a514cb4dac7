package io.eco2.engine.eventlog.redis;

import io.eco2.engine.config.EngineOptions;
import io.eco2.engine.config.RedisOptions;
import io.eco2.engine.eventlog.EventLogOptions;
import io.eco2.engine.http.ApiOptions;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link RedisEventLog}, with the defaults of {@code conf/application.yaml}.
 *
 * <p>Promises: {@link #of} takes the typed {@code redis} section and the TTLs; {@link #from(EngineOptions)} takes
 * them from the typed configuration (the defaults are those of {@link RedisOptions}, {@link EventLogOptions} and
 * {@link ApiOptions}); a value out of range fails with {@link IllegalArgumentException} naming the key. The config is
 * expected to have been validated by the engine's schema already: this class only guards its own invariants.
 *
 * <p>Keys read: every {@code redis.*} key, {@code event-log.ttl-seconds} and {@code api.idempotency-ttl-seconds}.
 *
 * <p>{@link #clientName()} has no configuration key: it tags this process's connections in
 * {@code CLIENT LIST} (pooled ones as {@code <name>}, the live-event one as {@code <name>-live}) for
 * operators and tests. Instances are immutable; the {@code with…} methods return copies.
 */
public final class RedisEventLogOptions {

  // The configuration's defaults, from the options that own them (one source for every default).
  public static final String DEFAULT_URL = RedisOptions.DEFAULT_URL;
  public static final String DEFAULT_KEY_PREFIX = RedisOptions.DEFAULT_KEY_PREFIX;
  public static final int DEFAULT_POOL_SIZE = RedisOptions.DEFAULT_POOL_SIZE;
  public static final int DEFAULT_POOL_WAITERS = RedisOptions.DEFAULT_POOL_WAITERS;
  public static final long DEFAULT_RECONNECT_INITIAL_MS = RedisOptions.DEFAULT_RECONNECT_INITIAL_MS;
  public static final long DEFAULT_RECONNECT_MAX_MS = RedisOptions.DEFAULT_RECONNECT_MAX_MS;
  public static final long DEFAULT_TTL_SECONDS = EventLogOptions.DEFAULT_TTL_SECONDS;
  public static final long DEFAULT_IDEMPOTENCY_TTL_SECONDS = ApiOptions.DEFAULT_IDEMPOTENCY_TTL_SECONDS;
  public static final String DEFAULT_CLIENT_NAME = "eco2";

  private final String url;
  private final String keyPrefix;
  private final int poolSize;
  private final int poolWaiters;
  private final long reconnectInitialMs;
  private final long reconnectMaxMs;
  private final long ttlSeconds;
  private final long idempotencyTtlSeconds;
  private final String clientName;

  /** All defaults. */
  public RedisEventLogOptions() {
    this(DEFAULT_URL, DEFAULT_KEY_PREFIX, DEFAULT_POOL_SIZE, DEFAULT_POOL_WAITERS, DEFAULT_RECONNECT_INITIAL_MS,
      DEFAULT_RECONNECT_MAX_MS, DEFAULT_TTL_SECONDS, DEFAULT_IDEMPOTENCY_TTL_SECONDS, DEFAULT_CLIENT_NAME);
  }

  private RedisEventLogOptions(String url, String keyPrefix, int poolSize, int poolWaiters, long reconnectInitialMs,
                               long reconnectMaxMs, long ttlSeconds, long idempotencyTtlSeconds, String clientName) {
    this.url = Objects.requireNonNull(url, "redis.url");
    this.keyPrefix = Objects.requireNonNull(keyPrefix, "redis.key-prefix");
    this.poolSize = atLeast("redis.pool-size", poolSize, 1);
    this.poolWaiters = atLeast("redis.pool-waiters", poolWaiters, 1);
    this.reconnectInitialMs = atLeast("redis.reconnect-initial-ms", reconnectInitialMs, 1);
    this.reconnectMaxMs = atLeast("redis.reconnect-max-ms", reconnectMaxMs, reconnectInitialMs);
    this.ttlSeconds = atLeast("event-log.ttl-seconds", ttlSeconds, 1);
    this.idempotencyTtlSeconds = atLeast("api.idempotency-ttl-seconds", idempotencyTtlSeconds, 1);
    if (keyPrefix.isEmpty()) {
      throw new IllegalArgumentException("redis.key-prefix: must not be empty");
    }
    if (clientName != null && !clientName.matches("[A-Za-z0-9._:-]+")) {
      // CLIENT SETNAME refuses spaces; the name also travels in the connection string's query.
      throw new IllegalArgumentException("client name: letters, digits and ._:- only, got '" + clientName + "'");
    }
    this.clientName = clientName;
  }

  /** The event log's settings from the engine's typed configuration: the {@code redis}, {@code event-log} and {@code api} sections. */
  public static RedisEventLogOptions from(EngineOptions options) {
    return of(options.getRedis(), options.getEventLog().ttl(), Duration.ofSeconds(options.getApi().idempotencyTtlSeconds()));
  }

  /** The event log's settings from the typed {@code redis} section and the two TTLs. */
  public static RedisEventLogOptions of(RedisOptions redis, Duration ttl, Duration idempotencyTtl) {
    return new RedisEventLogOptions(redis.getUrl(), redis.getKeyPrefix(), redis.getPoolSize(), redis.getPoolWaiters(),
      redis.getReconnectInitialMs(), redis.getReconnectMaxMs(), ttl.toSeconds(), idempotencyTtl.toSeconds(),
      DEFAULT_CLIENT_NAME);
  }

  private static <N extends Number> N atLeast(String key, N value, long min) {
    if (value.longValue() < min) {
      throw new IllegalArgumentException(key + ": must be at least " + min + ", got " + value);
    }
    return value;
  }

  public RedisEventLogOptions withUrl(String url) {
    return new RedisEventLogOptions(url, keyPrefix, poolSize, poolWaiters, reconnectInitialMs, reconnectMaxMs,
      ttlSeconds, idempotencyTtlSeconds, clientName);
  }

  public RedisEventLogOptions withKeyPrefix(String keyPrefix) {
    return new RedisEventLogOptions(url, keyPrefix, poolSize, poolWaiters, reconnectInitialMs, reconnectMaxMs,
      ttlSeconds, idempotencyTtlSeconds, clientName);
  }

  public RedisEventLogOptions withPool(int poolSize, int poolWaiters) {
    return new RedisEventLogOptions(url, keyPrefix, poolSize, poolWaiters, reconnectInitialMs, reconnectMaxMs,
      ttlSeconds, idempotencyTtlSeconds, clientName);
  }

  public RedisEventLogOptions withReconnect(long initialMs, long maxMs) {
    return new RedisEventLogOptions(url, keyPrefix, poolSize, poolWaiters, initialMs, maxMs,
      ttlSeconds, idempotencyTtlSeconds, clientName);
  }

  public RedisEventLogOptions withTtls(long ttlSeconds, long idempotencyTtlSeconds) {
    return new RedisEventLogOptions(url, keyPrefix, poolSize, poolWaiters, reconnectInitialMs, reconnectMaxMs,
      ttlSeconds, idempotencyTtlSeconds, clientName);
  }

  /** Tags connections in {@code CLIENT LIST}; null leaves them unnamed. */
  public RedisEventLogOptions withClientName(String clientName) {
    return new RedisEventLogOptions(url, keyPrefix, poolSize, poolWaiters, reconnectInitialMs, reconnectMaxMs,
      ttlSeconds, idempotencyTtlSeconds, clientName);
  }

  public String url() {
    return url;
  }

  public String keyPrefix() {
    return keyPrefix;
  }

  public int poolSize() {
    return poolSize;
  }

  public int poolWaiters() {
    return poolWaiters;
  }

  public Duration reconnectInitial() {
    return Duration.ofMillis(reconnectInitialMs);
  }

  public Duration reconnectMax() {
    return Duration.ofMillis(reconnectMaxMs);
  }

  public Duration ttl() {
    return Duration.ofSeconds(ttlSeconds);
  }

  public Duration idempotencyTtl() {
    return Duration.ofSeconds(idempotencyTtlSeconds);
  }

  /** The name of this process's connections in {@code CLIENT LIST}, or null. */
  public String clientName() {
    return clientName;
  }

  /** {@link #url()} with {@code client=<name>} added, so that every pooled connection names itself on HELLO. */
  String urlWithClientName(String name) {
    if (name == null || url.contains("client=")) {
      return url;
    }
    return url + (url.contains("?") ? "&" : "?") + "client=" + name;
  }

  @Override
  public String toString() {
    // The URL may carry a password: never print it.
    return "RedisEventLogOptions{keyPrefix=" + keyPrefix + ", poolSize=" + poolSize + ", poolWaiters=" + poolWaiters
      + ", reconnect=" + reconnectInitialMs + ".." + reconnectMaxMs + "ms, ttl=" + ttlSeconds + "s, idempotencyTtl="
      + idempotencyTtlSeconds + "s, clientName=" + clientName + "}";
  }
}
