package io.eco2.engine.transport.rabbitmq;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link RabbitMqTransport} connects and bounds its work.
 *
 * <p>The {@code rabbitmq} configuration section (CONTRACT §7), a data object in the Vert.x style: the
 * {@code DEFAULT_*} constants are the only source of its defaults; {@link #RabbitMqOptions(JsonObject)} reads
 * the section and {@link #toJson()} writes it. Queues are {@code P.S}, {@code P.S.retry}, {@code P.S.dlq} for
 * queue prefix {@code P}; reconnects double (with jitter) from the initial delay up to the longest; a publish
 * without a broker confirm within the confirm timeout fails; as many publishes as may await a confirm at once
 * may wait for a slot, beyond that a publish fails at once.
 * Not in the configuration schema (programmatic only): heartbeat 10 s, connect timeout 5 s, depth cache
 * 250 ms, the longest a non-admission send waits for room in a full stage (60 s), the pause before a failed
 * delivery is handed back to the broker (1 s, like the embedded transport), and the connection name
 * {@code eco2-<role>-<pid>} shown by {@code rabbitmqctl list_connections client_properties}.
 *
 * <p>The stages and their backlog bounds ({@code stages.<name>.backlog}) come from the pipeline plan: the
 * map's keys are the stages whose queues are declared. So does each stage's longest retry delay (its policy's
 * longest backoff), which decides how many delay queues {@code P.S.retry.<ms>} it gets; a stage without one
 * gets {@link #DEFAULT_LONGEST_RETRY_DELAY_MS}.
 */
public final class RabbitMqOptions {

  public static final String DEFAULT_URL = "amqp://guest:guest@127.0.0.1:5672";
  public static final String DEFAULT_QUEUE_PREFIX = "scan";
  /** {@code rabbitmq.reconnect-initial-ms}. */
  public static final long DEFAULT_RECONNECT_INITIAL_MS = 200;
  /** {@code rabbitmq.reconnect-max-ms}. */
  public static final long DEFAULT_RECONNECT_MAX_MS = 5000;
  /** {@code rabbitmq.confirm-timeout-ms}. */
  public static final long DEFAULT_CONFIRM_TIMEOUT_MS = 10_000;
  /** {@code rabbitmq.max-pending-confirms}: above the default stages' 16,384 executions in flight. */
  public static final int DEFAULT_MAX_PENDING_CONFIRMS = 32_768;
  /** The longest retry delay of a stage whose policy did not say (programmatic: the plan sets each stage's). */
  public static final long DEFAULT_LONGEST_RETRY_DELAY_MS = 5000;

  private String url = DEFAULT_URL;
  private String queuePrefix = DEFAULT_QUEUE_PREFIX;
  private Duration reconnectInitial = Duration.ofMillis(DEFAULT_RECONNECT_INITIAL_MS);
  private Duration reconnectMax = Duration.ofMillis(DEFAULT_RECONNECT_MAX_MS);
  private Duration confirmTimeout = Duration.ofMillis(DEFAULT_CONFIRM_TIMEOUT_MS);
  private int maxPendingConfirms = DEFAULT_MAX_PENDING_CONFIRMS;
  private Duration heartbeat = Duration.ofSeconds(10);
  private Duration connectTimeout = Duration.ofSeconds(5);
  private Duration depthCacheTtl = Duration.ofMillis(250);
  private Duration backpressureMaxWait = Duration.ofSeconds(60);
  private Duration redeliveryDelay = Duration.ofSeconds(1);
  private String connectionName = connectionNameFor("all");
  private Map<String, Integer> backlogs = new LinkedHashMap<>();
  private Map<String, Long> longestRetryDelays = new LinkedHashMap<>();

  /** Defaults, no stages. */
  public RabbitMqOptions() {
  }

  /** Reads the {@code rabbitmq} section; absent keys keep their defaults. No stages yet ({@link #setBacklogs}). */
  public RabbitMqOptions(JsonObject rabbitmq) {
    this(rabbitmq, Map.of());
  }

  /** A copy: the section's keys, the programmatic settings and the backlogs. */
  public RabbitMqOptions(RabbitMqOptions other) {
    this(other.toJson(), other.backlogs);
    heartbeat = other.heartbeat;
    connectTimeout = other.connectTimeout;
    depthCacheTtl = other.depthCacheTtl;
    backpressureMaxWait = other.backpressureMaxWait;
    redeliveryDelay = other.redeliveryDelay;
    connectionName = other.connectionName;
    longestRetryDelays = new LinkedHashMap<>(other.longestRetryDelays);
  }

  /** The {@code rabbitmq} section's keys (the programmatic settings have none). */
  public JsonObject toJson() {
    return new JsonObject().put("url", url).put("queue-prefix", queuePrefix)
      .put("reconnect-initial-ms", reconnectInitial.toMillis()).put("reconnect-max-ms", reconnectMax.toMillis())
      .put("confirm-timeout-ms", confirmTimeout.toMillis()).put("max-pending-confirms", maxPendingConfirms);
  }

  /**
   * Reads the {@code rabbitmq} section; absent keys keep their defaults.
   *
   * @param rabbitmq the {@code rabbitmq} configuration section (may be null)
   * @param backlogs each pipeline stage's backlog bound, in pipeline order
   */
  public RabbitMqOptions(JsonObject rabbitmq, Map<String, Integer> backlogs) {
    JsonObject json = rabbitmq == null ? new JsonObject() : rabbitmq;
    url = json.getString("url", url);
    queuePrefix = json.getString("queue-prefix", queuePrefix);
    reconnectInitial = Duration.ofMillis(json.getLong("reconnect-initial-ms", reconnectInitial.toMillis()));
    reconnectMax = Duration.ofMillis(json.getLong("reconnect-max-ms", reconnectMax.toMillis()));
    confirmTimeout = Duration.ofMillis(json.getLong("confirm-timeout-ms", confirmTimeout.toMillis()));
    maxPendingConfirms = json.getInteger("max-pending-confirms", maxPendingConfirms);
    setBacklogs(backlogs);
  }

  /** {@code eco2-<role>-<pid>}: one name per process and role, so an operator can tell connections apart. */
  public static String connectionNameFor(String role) {
    return "eco2-" + role + "-" + ProcessHandle.current().pid();
  }

  public String url() { return url; }
  public RabbitMqOptions setUrl(String url) { this.url = Objects.requireNonNull(url); return this; }

  public String queuePrefix() { return queuePrefix; }
  public RabbitMqOptions setQueuePrefix(String queuePrefix) {
    if (queuePrefix == null || queuePrefix.isBlank()) {
      throw new IllegalArgumentException("rabbitmq.queue-prefix must not be empty");
    }
    this.queuePrefix = queuePrefix;
    return this;
  }

  public Duration reconnectInitial() { return reconnectInitial; }
  public RabbitMqOptions setReconnectInitial(Duration d) { this.reconnectInitial = positive(d); return this; }

  public Duration reconnectMax() { return reconnectMax; }
  public RabbitMqOptions setReconnectMax(Duration d) { this.reconnectMax = positive(d); return this; }

  public Duration confirmTimeout() { return confirmTimeout; }
  public RabbitMqOptions setConfirmTimeout(Duration d) { this.confirmTimeout = positive(d); return this; }

  public int maxPendingConfirms() { return maxPendingConfirms; }
  public RabbitMqOptions setMaxPendingConfirms(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("rabbitmq.max-pending-confirms must be at least 1, got " + n);
    }
    this.maxPendingConfirms = n;
    return this;
  }

  public Duration heartbeat() { return heartbeat; }
  public RabbitMqOptions setHeartbeat(Duration d) { this.heartbeat = positive(d); return this; }

  public Duration connectTimeout() { return connectTimeout; }
  public RabbitMqOptions setConnectTimeout(Duration d) { this.connectTimeout = positive(d); return this; }

  public Duration depthCacheTtl() { return depthCacheTtl; }
  public RabbitMqOptions setDepthCacheTtl(Duration d) { this.depthCacheTtl = Objects.requireNonNull(d); return this; }

  public Duration backpressureMaxWait() { return backpressureMaxWait; }
  public RabbitMqOptions setBackpressureMaxWait(Duration d) { this.backpressureMaxWait = positive(d); return this; }

  public Duration redeliveryDelay() { return redeliveryDelay; }
  public RabbitMqOptions setRedeliveryDelay(Duration d) { this.redeliveryDelay = Objects.requireNonNull(d); return this; }

  public String connectionName() { return connectionName; }
  public RabbitMqOptions setConnectionName(String name) { this.connectionName = Objects.requireNonNull(name); return this; }

  /** Stage name to backlog bound, in pipeline order (unmodifiable). */
  public Map<String, Integer> backlogs() { return Collections.unmodifiableMap(backlogs); }
  public RabbitMqOptions setBacklogs(Map<String, Integer> backlogs) {
    Map<String, Integer> copy = new LinkedHashMap<>(Objects.requireNonNull(backlogs));
    copy.forEach((stage, cap) -> {
      if (cap == null || cap < 1) {
        throw new IllegalArgumentException("stages." + stage + ".backlog must be at least 1, got " + cap);
      }
    });
    this.backlogs = copy;
    return this;
  }

  /** Stage name to its longest retry delay in ms (unmodifiable). */
  public Map<String, Long> longestRetryDelays() { return Collections.unmodifiableMap(longestRetryDelays); }
  public RabbitMqOptions setLongestRetryDelays(Map<String, Long> delays) {
    Map<String, Long> copy = new LinkedHashMap<>(Objects.requireNonNull(delays));
    copy.forEach((stage, ms) -> {
      if (ms == null || ms < 0) {
        throw new IllegalArgumentException("longest retry delay of stage " + stage + " must not be negative, got " + ms);
      }
    });
    this.longestRetryDelays = copy;
    return this;
  }

  private static Duration positive(Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("duration must be positive, got " + d);
    }
    return d;
  }
}
