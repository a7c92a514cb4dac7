package io.eco2.engine.sse;

import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * How SSE streams behave: the {@code sse} configuration section (CONTRACT §2).
 *
 * <p>A data object in the Vert.x style: the {@code DEFAULT_*} constants are the only source of the
 * defaults; {@link #SseOptions(JsonObject)} reads the section and {@link #toJson()} writes it.
 */
public final class SseOptions {

  /** {@code sse.retry-ms}: the client's reconnect delay announced in the first frame. */
  public static final long DEFAULT_RETRY_MS = 3000;
  /** {@code sse.keepalive-seconds}: a {@code : keepalive} comment after this long without a frame. */
  public static final double DEFAULT_KEEPALIVE_SECONDS = 15;
  /** {@code sse.max-duration-seconds}: then the stream ends with {@code STREAM_TIMEOUT}. */
  public static final double DEFAULT_MAX_DURATION_SECONDS = 300;
  /** {@code sse.max-buffered-bytes}: bytes of frames pending beyond the connection's write queue before a client is cut off. */
  public static final int DEFAULT_MAX_BUFFERED_BYTES = 262_144;

  private long retryMillis = DEFAULT_RETRY_MS;
  private Duration keepalive = seconds(DEFAULT_KEEPALIVE_SECONDS);
  private Duration maxDuration = seconds(DEFAULT_MAX_DURATION_SECONDS);
  private int maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES;
  private Duration backendWait = DEFAULT_BACKEND_WAIT;

  /**
   * How long a stream waits inside its 200 response for an event log that does not answer before it ends
   * (the client then reconnects): well under a keep-alive interval's worth of proxies' idle timeouts. No
   * configuration key (programmatic only), so not part of {@link #toJson()}.
   */
  public static final Duration DEFAULT_BACKEND_WAIT = Duration.ofSeconds(30);

  public SseOptions() {
  }

  public SseOptions(SseOptions other) {
    this(other.toJson());
    backendWait = other.backendWait;
  }

  /** Reads the {@code sse} section ({@code retry-ms}, {@code keepalive-seconds}, ...); absent keys keep their defaults. */
  public SseOptions(JsonObject json) {
    retryMillis = json.getLong("retry-ms", retryMillis);
    keepalive = seconds(json.getDouble("keepalive-seconds", DEFAULT_KEEPALIVE_SECONDS));
    maxDuration = seconds(json.getDouble("max-duration-seconds", DEFAULT_MAX_DURATION_SECONDS));
    maxBufferedBytes = json.getInteger("max-buffered-bytes", maxBufferedBytes);
  }

  public JsonObject toJson() {
    return new JsonObject().put("retry-ms", retryMillis).put("keepalive-seconds", keepalive.toMillis() / 1000.0)
      .put("max-duration-seconds", maxDuration.toMillis() / 1000.0).put("max-buffered-bytes", maxBufferedBytes);
  }

  private static Duration seconds(double s) {
    return Duration.ofMillis(Math.round(s * 1000));
  }

  public long retryMillis() { return retryMillis; }
  public SseOptions setRetryMillis(long retryMillis) { this.retryMillis = retryMillis; return this; }

  public Duration keepalive() { return keepalive; }
  public SseOptions setKeepalive(Duration keepalive) { this.keepalive = keepalive; return this; }

  public Duration maxDuration() { return maxDuration; }
  public SseOptions setMaxDuration(Duration maxDuration) { this.maxDuration = maxDuration; return this; }

  public Duration backendWait() { return backendWait; }
  public SseOptions setBackendWait(Duration backendWait) { this.backendWait = backendWait; return this; }

  public int maxBufferedBytes() { return maxBufferedBytes; }
  public SseOptions setMaxBufferedBytes(int maxBufferedBytes) { this.maxBufferedBytes = maxBufferedBytes; return this; }
}
