package io.eco2.engine.stage;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Objects;

/**
 * How the engine runs a stage: its parallelism, bounds, timeout and retry schedule.
 *
 * <p>Defaults: 1 worker instance, concurrency 64 per instance, a backlog of 1,000 waiting jobs, timeout
 * 30 s, 3 retries with exponential backoff from 1 s (doubling, capped at 30 s) and ±20 % jitter, non-blocking,
 * at most 5 deliveries of one attempt. Configuration keys under {@code stages.<name>} override each field:
 * {@code instances}, {@code concurrency}, {@code backlog}, {@code timeout-ms}, {@code retries},
 * {@code backoff-initial-ms}, {@code backoff-max-ms}, {@code jitter}, {@code blocking}, {@code max-deliveries}.
 */
public final class StagePolicy {

  public static final int DEFAULT_INSTANCES = 1;
  public static final int DEFAULT_CONCURRENCY = 64;
  public static final int DEFAULT_BACKLOG = 1000;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_RETRIES = 3;
  public static final Duration DEFAULT_BACKOFF_INITIAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(30);
  public static final double DEFAULT_JITTER = 0.2;
  /** {@code stages.<name>.max-deliveries}: deliveries of one attempt before it is parked as a poison message. */
  public static final int DEFAULT_MAX_DELIVERIES = 5;

  private int instances = DEFAULT_INSTANCES;
  private int concurrency = DEFAULT_CONCURRENCY;
  private int backlog = DEFAULT_BACKLOG;
  private Duration timeout = DEFAULT_TIMEOUT;
  private int retries = DEFAULT_RETRIES;
  private Duration backoffInitial = DEFAULT_BACKOFF_INITIAL;
  private Duration backoffMax = DEFAULT_BACKOFF_MAX;
  private double jitter = DEFAULT_JITTER;
  private boolean blocking;
  private int maxDeliveries = DEFAULT_MAX_DELIVERIES;

  public StagePolicy() {
  }

  public StagePolicy(StagePolicy other) {
    this.instances = other.instances;
    this.concurrency = other.concurrency;
    this.backlog = other.backlog;
    this.timeout = other.timeout;
    this.retries = other.retries;
    this.backoffInitial = other.backoffInitial;
    this.backoffMax = other.backoffMax;
    this.jitter = other.jitter;
    this.blocking = other.blocking;
    this.maxDeliveries = other.maxDeliveries;
  }

  /**
   * A copy of this policy with the fields present in {@code json} (the {@code stages.<name>} section)
   * replaced. Values are validated: an invalid one fails with an {@link IllegalArgumentException} naming
   * the key.
   */
  public StagePolicy merge(String stage, JsonObject json) {
    StagePolicy p = new StagePolicy(this);
    if (json == null) {
      return p;
    }
    String prefix = "stages." + stage + ".";
    if (json.containsKey("instances")) p.setInstances(positive(prefix + "instances", json.getValue("instances")));
    if (json.containsKey("concurrency")) p.setConcurrency(positive(prefix + "concurrency", json.getValue("concurrency")));
    if (json.containsKey("backlog")) p.setBacklog(positive(prefix + "backlog", json.getValue("backlog")));
    if (json.containsKey("timeout-ms")) p.setTimeout(Duration.ofMillis(positive(prefix + "timeout-ms", json.getValue("timeout-ms"))));
    if (json.containsKey("retries")) p.setRetries(nonNegative(prefix + "retries", json.getValue("retries")));
    if (json.containsKey("backoff-initial-ms")) p.setBackoffInitial(Duration.ofMillis(nonNegative(prefix + "backoff-initial-ms", json.getValue("backoff-initial-ms"))));
    if (json.containsKey("backoff-max-ms")) p.setBackoffMax(Duration.ofMillis(nonNegative(prefix + "backoff-max-ms", json.getValue("backoff-max-ms"))));
    if (json.containsKey("max-deliveries")) p.setMaxDeliveries(positive(prefix + "max-deliveries", json.getValue("max-deliveries")));
    if (json.containsKey("jitter")) {
      Object v = json.getValue("jitter");
      if (!(v instanceof Number) || ((Number) v).doubleValue() < 0 || ((Number) v).doubleValue() > 1) {
        throw new IllegalArgumentException(prefix + "jitter: must be a number between 0 and 1, got " + v);
      }
      p.setJitter(((Number) v).doubleValue());
    }
    if (json.containsKey("blocking")) {
      Object v = json.getValue("blocking");
      if (!(v instanceof Boolean)) {
        throw new IllegalArgumentException(prefix + "blocking: must be true or false, got " + v);
      }
      p.setBlocking((Boolean) v);
    }
    return p;
  }

  private static int positive(String key, Object v) {
    int n = nonNegative(key, v);
    if (n == 0) {
      throw new IllegalArgumentException(key + ": must be at least 1, got 0");
    }
    return n;
  }

  private static int nonNegative(String key, Object v) {
    if (!(v instanceof Number) || ((Number) v).doubleValue() != Math.rint(((Number) v).doubleValue())
        || ((Number) v).longValue() < 0 || ((Number) v).longValue() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(key + ": must be a non-negative integer, got " + v);
    }
    return ((Number) v).intValue();
  }

  /** Worker verticle instances per process. */
  public int instances() { return instances; }
  public StagePolicy setInstances(int instances) { this.instances = instances; return this; }

  /** Executions in flight at once per worker instance: the stage's credit, and RabbitMQ prefetch. */
  public int concurrency() { return concurrency; }
  public StagePolicy setConcurrency(int concurrency) { this.concurrency = concurrency; return this; }

  /** Jobs that may wait for this stage; for the first stage, beyond it submit answers 429. */
  public int backlog() { return backlog; }
  public StagePolicy setBacklog(int backlog) { this.backlog = backlog; return this; }

  /** How long one attempt may take before it is cancelled and counted as failed ({@code TIMEOUT}). */
  public Duration timeout() { return timeout; }
  public StagePolicy setTimeout(Duration timeout) { this.timeout = Objects.requireNonNull(timeout); return this; }

  /** Retries after the first attempt for retryable failures. */
  public int retries() { return retries; }
  public StagePolicy setRetries(int retries) { this.retries = retries; return this; }

  /** Backoff before the first retry; each later retry doubles it. */
  public Duration backoffInitial() { return backoffInitial; }
  public StagePolicy setBackoffInitial(Duration backoffInitial) { this.backoffInitial = Objects.requireNonNull(backoffInitial); return this; }

  /** Upper bound of one backoff. */
  public Duration backoffMax() { return backoffMax; }
  public StagePolicy setBackoffMax(Duration backoffMax) { this.backoffMax = Objects.requireNonNull(backoffMax); return this; }

  /** Relative jitter applied to each backoff, 0 to 1 (0.2 means ±20 %). */
  public double jitter() { return jitter; }
  public StagePolicy setJitter(double jitter) { this.jitter = jitter; return this; }

  /** Whether {@link Stage#process} blocks and must be called on a worker thread. */
  public boolean blocking() { return blocking; }
  public StagePolicy setBlocking(boolean blocking) { this.blocking = blocking; return this; }

  /**
   * How often one attempt of a job may be delivered (distributed mode, over every worker) before it is
   * parked in the stage's dead-letter queue and the job ends with {@code POISON_MESSAGE}: a delivery that
   * comes back unacknowledged (its process died, say) is counted, so a message that kills every process
   * handling it stops doing so after this many.
   */
  public int maxDeliveries() { return maxDeliveries; }
  public StagePolicy setMaxDeliveries(int maxDeliveries) { this.maxDeliveries = maxDeliveries; return this; }

  /**
   * The delay before retry number {@code retry} (1-based): {@code initial * 2^(retry-1)}, capped at the
   * maximum, then spread by the jitter using {@code random} in [0, 1).
   */
  public Duration backoff(int retry, double random) {
    double base = backoffInitial.toMillis() * Math.pow(2, Math.max(0, retry - 1));
    base = Math.min(base, backoffMax.toMillis());
    double spread = base * jitter * (2 * random - 1);
    return Duration.ofMillis(Math.max(0, Math.round(base + spread)));
  }

  /** The longest delay {@link #backoff} can return: the maximum with all of its jitter. */
  public Duration longestBackoff() {
    return Duration.ofMillis((long) Math.ceil(backoffMax.toMillis() * (1 + jitter)));
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("instances", instances).put("concurrency", concurrency).put("backlog", backlog)
      .put("timeout-ms", timeout.toMillis()).put("retries", retries)
      .put("backoff-initial-ms", backoffInitial.toMillis()).put("backoff-max-ms", backoffMax.toMillis())
      .put("jitter", jitter).put("blocking", blocking).put("max-deliveries", maxDeliveries);
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
