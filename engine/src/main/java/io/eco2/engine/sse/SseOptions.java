package io.eco2.engine.sse;

import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * How SSE streams behave. Defaults (CONTRACT §2): client reconnect delay 3,000 ms, a {@code : keepalive}
 * comment after 15 s without a frame, streams end after 300 s with {@code STREAM_TIMEOUT}, and a client may
 * have 64 frames pending beyond the socket's write queue before it is cut off.
 */
public final class SseOptions {

  private long retryMillis = 3000;
  private Duration keepalive = Duration.ofSeconds(15);
  private Duration maxDuration = Duration.ofSeconds(300);
  private int maxBufferedFrames = 64;
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
    maxBufferedFrames = json.getInteger("max-buffered-frames", maxBufferedFrames);
  }

  public long retryMillis() { return retryMillis; }
  public SseOptions setRetryMillis(long retryMillis) { this.retryMillis = retryMillis; return this; }

  public Duration keepalive() { return keepalive; }
  public SseOptions setKeepalive(Duration keepalive) { this.keepalive = keepalive; return this; }

  public Duration maxDuration() { return maxDuration; }
  public SseOptions setMaxDuration(Duration maxDuration) { this.maxDuration = maxDuration; return this; }

  public Duration backendWait() { return backendWait; }
  public SseOptions setBackendWait(Duration backendWait) { this.backendWait = backendWait; return this; }

  public int maxBufferedFrames() { return maxBufferedFrames; }
  public SseOptions setMaxBufferedFrames(int maxBufferedFrames) { this.maxBufferedFrames = maxBufferedFrames; return this; }
}
