package io.eco2.engine.http;

import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * How the HTTP server guards its connections: part of the {@code http} configuration section (held by
 * {@link HttpOptions}; its {@code DEFAULT_*} constants are the only source of these keys' defaults). Each bound
 * answers or closes with a contract-shaped error when hit (CONTRACT §8):
 * <ul>
 *   <li>{@code header-timeout-ms} ({@value #DEFAULT_HEADER_TIMEOUT_MS}): a request's line and headers must
 *       arrive within this time of its first byte (of the connection's opening for its first request), else
 *       408 {@code REQUEST_TIMEOUT} and close. This is what cuts off a slowloris client.</li>
 *   <li>{@code body-timeout-ms} ({@value #DEFAULT_BODY_TIMEOUT_MS}): the whole body must arrive within this
 *       time of the headers, else the connection is closed.</li>
 *   <li>{@code idle-timeout-seconds} ({@value #DEFAULT_IDLE_TIMEOUT_SECONDS}): a connection with nothing read
 *       or written for this long is closed. SSE keep-alives are writes, so a stream is never idle while
 *       {@code sse.keepalive-seconds} is shorter (the configuration checks it).</li>
 *   <li>{@code max-connections} ({@value #DEFAULT_MAX_CONNECTIONS}): open connections per process over every
 *       server instance; one more is answered 503 {@code TOO_MANY_CONNECTIONS} and closed.</li>
 *   <li>{@code send-buffer-bytes} ({@value #DEFAULT_SEND_BUFFER_BYTES}): each connection's kernel send buffer;
 *       0 leaves it to the system (Linux grows it up to {@code tcp_wmem}'s maximum, megabytes per slow
 *       client). What a client has not taken beyond it counts against {@code sse.max-buffered-bytes}.</li>
 * </ul>
 */
public final class FrontDoorOptions {

  /** {@code http.header-timeout-ms}. */
  public static final long DEFAULT_HEADER_TIMEOUT_MS = 10_000;
  /** {@code http.body-timeout-ms}. */
  public static final long DEFAULT_BODY_TIMEOUT_MS = 30_000;
  /** {@code http.idle-timeout-seconds}. */
  public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 60;
  /** {@code http.max-connections}. */
  public static final int DEFAULT_MAX_CONNECTIONS = 16_384;
  public static final int DEFAULT_SEND_BUFFER_BYTES = 0;

  private Duration headerTimeout = Duration.ofMillis(DEFAULT_HEADER_TIMEOUT_MS);
  private Duration bodyTimeout = Duration.ofMillis(DEFAULT_BODY_TIMEOUT_MS);
  private Duration idleTimeout = Duration.ofSeconds(DEFAULT_IDLE_TIMEOUT_SECONDS);
  private int maxConnections = DEFAULT_MAX_CONNECTIONS;
  private int sendBufferBytes = DEFAULT_SEND_BUFFER_BYTES;

  public FrontDoorOptions() {
  }

  /** Reads the {@code http} configuration section. */
  public FrontDoorOptions(JsonObject http) {
    headerTimeout = Duration.ofMillis(http.getLong("header-timeout-ms", DEFAULT_HEADER_TIMEOUT_MS));
    bodyTimeout = Duration.ofMillis(http.getLong("body-timeout-ms", DEFAULT_BODY_TIMEOUT_MS));
    idleTimeout = Duration.ofSeconds(http.getInteger("idle-timeout-seconds", DEFAULT_IDLE_TIMEOUT_SECONDS));
    maxConnections = http.getInteger("max-connections", DEFAULT_MAX_CONNECTIONS);
    sendBufferBytes = http.getInteger("send-buffer-bytes", DEFAULT_SEND_BUFFER_BYTES);
  }

  /** This part's keys of the {@code http} section. */
  public JsonObject toJson() {
    return new JsonObject().put("header-timeout-ms", headerTimeout.toMillis()).put("body-timeout-ms", bodyTimeout.toMillis())
      .put("idle-timeout-seconds", idleTimeout.toSeconds()).put("max-connections", maxConnections)
      .put("send-buffer-bytes", sendBufferBytes);
  }

  public Duration headerTimeout() { return headerTimeout; }
  public FrontDoorOptions setHeaderTimeout(Duration headerTimeout) { this.headerTimeout = headerTimeout; return this; }

  public Duration bodyTimeout() { return bodyTimeout; }
  public FrontDoorOptions setBodyTimeout(Duration bodyTimeout) { this.bodyTimeout = bodyTimeout; return this; }

  /** Zero means no idle timeout. */
  public Duration idleTimeout() { return idleTimeout; }
  public FrontDoorOptions setIdleTimeout(Duration idleTimeout) { this.idleTimeout = idleTimeout; return this; }

  /** Zero means the system's default. */
  public int sendBufferBytes() { return sendBufferBytes; }
  public FrontDoorOptions setSendBufferBytes(int sendBufferBytes) { this.sendBufferBytes = sendBufferBytes; return this; }

  public int maxConnections() { return maxConnections; }
  public FrontDoorOptions setMaxConnections(int maxConnections) { this.maxConnections = maxConnections; return this; }
}
