package io.eco2.engine.http;

import io.eco2.engine.http.impl.FramingRules;
import io.eco2.engine.http.impl.GuardedRequestDecoder;
import io.eco2.engine.http.impl.RateLimitedLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP server's guard, shared by every server instance of the process: header, body and idle timeouts,
 * a bound on open connections, RFC 9112 framing, and contract-shaped answers ({@link ApiError}) for every
 * request Vert.x itself refuses before routing (bad request line, headers too large, bad framing, timeouts).
 *
 * <p>Whatever it refuses is logged as one rate-limited WARNING line, never a stack trace, and counted in
 * {@code http_requests_refused_total{reason}}. Call {@link #configure} on the server options and
 * {@link #install} on each server before it listens.
 */
public final class FrontDoor {

  /** The logger of refused requests and connections. */
  public static final String LOGGER = "io.eco2.engine.http.FrontDoor";

  private final FrontDoorOptions options;
  private final MeterRegistry registry;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<String, Counter> refused = new ConcurrentHashMap<>();
  private final RateLimitedLog log = new RateLimitedLog(LOGGER, 1000);

  public FrontDoor(FrontDoorOptions options, MeterRegistry registry) {
    this.options = options;
    this.registry = registry;
    Gauge.builder("http_connections_open", open, AtomicInteger::get)
      .description("Open HTTP connections of this process (bounded by http.max-connections)").register(registry);
  }

  /** The server options the guard relies on: the idle timeout, the send buffer, HTTP/1.x only (no cleartext HTTP/2). */
  public HttpServerOptions configure(HttpServerOptions server) {
    long idle = options.idleTimeout().toMillis();
    if (options.sendBufferBytes() > 0) {
      server.setSendBufferSize(options.sendBufferBytes());
    }
    return server
      // Cleartext HTTP/2 would bypass the HTTP/1 decoder and with it every rule here; nothing uses it.
      .setHttp2ClearTextEnabled(false)
      .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
      .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, idle));
  }

  /** Installs the guard on a server that is not listening yet. */
  public HttpServer install(HttpServer server, HttpServerOptions serverOptions) {
    return server
      .connectionHandler(conn -> accept(conn, serverOptions))
      .invalidRequestHandler(this::refuse)
      .exceptionHandler(err -> log.warn("HTTP connection failed: " + err));
  }

  /** Open connections of this process right now. */
  public int openConnections() {
    return open.get();
  }

  private void accept(HttpConnection conn, HttpServerOptions serverOptions) {
    int now = open.incrementAndGet();
    conn.closeHandler(v -> open.decrementAndGet());
    // Vert.x has no public hook into the connection's pipeline; its connection class is the one way in.
    ChannelHandlerContext chctx = ((ConnectionBase) conn).channelHandlerContext();
    if (now > options.maxConnections()) {
      count("too_many_connections");
      log.warn("refused a connection from " + conn.remoteAddress() + ": " + now + " open, http.max-connections is "
        + options.maxConnections());
      String body = new ApiError(503, ApiError.TOO_MANY_CONNECTIONS, "this process already holds "
        + options.maxConnections() + " connections (http.max-connections); retry later").toJson().encode();
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      // Written below the HTTP encoder (it expects response objects), straight to the socket.
      chctx.pipeline().firstContext().writeAndFlush(Unpooled.copiedBuffer(("HTTP/1.1 503 Service Unavailable\r\n"
          + "Content-Type: application/json; charset=utf-8\r\nContent-Length: " + bytes.length
          + "\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"), StandardCharsets.ISO_8859_1)
        .writeBytes(bytes)).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    chctx.pipeline().replace("httpDecoder", "httpDecoder", new GuardedRequestDecoder(serverOptions,
      options.headerTimeout(), options.bodyTimeout(), this::count));
  }

  // Requests Vert.x or the guard refused before routing: answer in the contract's shape and close.
  private void refuse(HttpServerRequest request) {
    ApiError error = errorOf(request.decoderResult().cause());
    log.warn("refused a request from " + request.remoteAddress() + ": " + error.status() + " " + error.code()
      + " (" + error.detail() + ")");
    request.response().putHeader("Connection", "close");
    error.send(request.response());
    request.connection().close();
  }

  static ApiError errorOf(Throwable cause) {
    if (cause instanceof ApiException refused) {
      return refused.error();
    }
    if (cause instanceof TooLongHttpLineException) {
      return new ApiError(414, ApiError.URI_TOO_LONG, "the request line is longer than the server accepts");
    }
    if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
      return new ApiError(431, ApiError.HEADERS_TOO_LARGE, "the request headers are larger than the server accepts");
    }
    return new ApiError(400, ApiError.MALFORMED_REQUEST, "the request could not be parsed"
      + (cause == null || cause.getMessage() == null ? "" : ": " + FramingRules.printable(cause.getMessage(), 120)));
  }

  private void count(String reason) {
    refused.computeIfAbsent(reason, r -> Counter.builder("http_requests_refused_total").tag("reason", r)
      .description("Requests and connections the HTTP front door refused, by reason").register(registry)).increment();
  }
}
