package io.eco2.engine.sse;

import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * How SSE streams behave. Defaults (CONTRACT §2): client reconnect delay 3,000 ms, a {@code : keepalive}
 * comment after 15 s without a frame, streams end after 300 s with {@code STREAM_TIMEOUT}, and a client may
 * have {@value #DEFAULT_MAX_BUFFERED_BYTES} bytes of frames pending beyond the connection's write queue
 * before it is cut off.
 */
public final class SseOptions {

  private long retryMillis = 3000;
  private Duration keepalive = Duration.ofSeconds(15);
  private Duration maxDuration = Duration.ofSeconds(300);
  /** Bytes of frames a slow client may have pending beyond the connection's write queue. */
  public static final int DEFAULT_MAX_BUFFERED_BYTES = 262_144;

  private int maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES;
  private Duration backendWait = DEFAULT_BACKEND_WAIT;

  /**
   * How long a stream waits inside its 200 response for an event log that does not answer before it ends
   * (the client then reconnects): well under a keep-alive interval's worth of proxies' idle timeouts.
   */
  public static final Duration DEFAULT_BACKEND_WAIT = Duration.ofSeconds(30);

  public SseOptions() {
  }

  /** Reads the {@code sse} configuration section ({@code retry-ms}, {@code keepalive-seconds}, ...). */
  public SseOptions(JsonObject json) {
    retryMillis = json.getLong("retry-ms", retryMillis);
    keepalive = Duration.ofMillis(Math.round(json.getDouble("keepalive-seconds", 15.0) * 1000));
    maxDuration = Duration.ofMillis(Math.round(json.getDouble("max-duration-seconds", 300.0) * 1000));
    maxBufferedBytes = json.getInteger("max-buffered-bytes", maxBufferedBytes);
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
