package io.eco2.engine.http.impl;

import io.eco2.engine.http.ApiError;
import io.eco2.engine.http.ApiException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.http.impl.headers.HeadersMultiMap;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Vert.x's request decoder with the front door's rules: {@link FramingRules} on every request head, a
 * deadline for each request's head and one for its body. Replaces the decoder in each connection's pipeline
 * (Vert.x offers no hook for either; Netty's decoder documents
 * {@link #handleTransferEncodingChunkedWithContentLength} as the place to refuse TE+CL).
 *
 * <p>A request that breaks a rule reaches Vert.x with a failed decoder result, so the server's invalid
 * request handler answers it in order and closes the connection; from then on every byte is discarded, so
 * nothing smuggled behind it is ever parsed. Runs on the connection's event loop only.
 */
public final class GuardedRequestDecoder extends VertxHttpRequestDecoder {

  private final long headerTimeoutMs;
  private final long bodyTimeoutMs;
  private final Consumer<String> rejected;
  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> headerDeadline;
  private ScheduledFuture<?> bodyDeadline;
  private boolean betweenRequests = true;
  private boolean poisoned;

  /**
   * @param rejected told the reason ({@code framing}, {@code header_timeout}, {@code body_timeout}) of each
   *                 request refused here, for the metric
   */
  public GuardedRequestDecoder(HttpServerOptions options, Duration headerTimeout, Duration bodyTimeout,
                               Consumer<String> rejected) {
    super(options);
    this.headerTimeoutMs = headerTimeout.toMillis();
    this.bodyTimeoutMs = bodyTimeout.toMillis();
    this.rejected = rejected;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    super.handlerAdded(ctx);
    this.ctx = ctx;
    // A fresh connection owes its first request head within the header timeout; an idle keep-alive
    // connection is the idle timeout's business, so later deadlines start with a request's first byte.
    startHeaderDeadline();
    betweenRequests = false;
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
    cancelDeadlines();
    super.handlerRemoved0(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancelDeadlines();
    super.channelInactive(ctx);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
    if (poisoned) {
      buffer.skipBytes(buffer.readableBytes());
      return;
    }
    if (betweenRequests && buffer.isReadable()) {
      betweenRequests = false;
      startHeaderDeadline();
    }
    int first = out.size();
    super.decode(ctx, buffer, out);
    for (int i = first; i < out.size(); i++) {
      Object message = out.get(i);
      if (message instanceof HttpRequest request) {
        cancel(headerDeadline);
        if (!admit(request)) {
          poison(out, i + 1, buffer);
          return;
        }
        bodyDeadline = schedule(bodyTimeoutMs, this::bodyTimedOut);
      }
      if (message instanceof LastHttpContent) {
        cancel(bodyDeadline);
        betweenRequests = true;
      }
    }
  }

  // Whether the request may go on; a request that may not gets a failed decoder result Vert.x answers.
  private boolean admit(HttpRequest request) {
    if (request.decoderResult().isSuccess()) {
      ApiException broken = FramingRules.check(request);
      if (broken == null) {
        return true;
      }
      if (broken.error().status() == 505) {
        // Vert.x answers in the request's version; the status line must name one it speaks.
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
      }
      request.setDecoderResult(DecoderResult.failure(broken));
    } else {
      Throwable cause = request.decoderResult().cause();
      if (cause instanceof IllegalArgumentException && String.valueOf(cause.getMessage()).contains("Content-Length")) {
        request.setDecoderResult(DecoderResult.failure(new ApiException(400, ApiError.INVALID_FRAMING,
          "invalid Content-Length: " + FramingRules.printable(String.valueOf(cause.getMessage()), 120))));
      }
    }
    rejected.accept("framing");
    return false;
  }

  // Everything after a refused request head is discarded: its body and whatever hides behind it. Vert.x
  // closes the connection once it has answered the refused request.
  private void poison(List<Object> out, int from, ByteBuf buffer) {
    poisoned = true;
    cancelDeadlines();
    while (out.size() > from) {
      ReferenceCountUtil.release(out.remove(out.size() - 1));
    }
    buffer.skipBytes(buffer.readableBytes());
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    throw FramingRules.withContentLength();
  }

  private void headerTimedOut() {
    if (poisoned || !ctx.channel().isActive()) {
      return;
    }
    poisoned = true;
    rejected.accept("header_timeout");
    // A synthetic invalid request lets Vert.x answer 408 in order (after any response still being written)
    // through the same handler as every other refused request.
    HttpRequest timeout = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", HeadersMultiMap.httpHeaders());
    timeout.setDecoderResult(DecoderResult.failure(new ApiException(408, ApiError.REQUEST_TIMEOUT,
      "the request line and headers did not arrive within " + headerTimeoutMs + " ms (http.header-timeout-ms)")));
    ctx.fireChannelRead(timeout);
    ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
    ctx.fireChannelReadComplete();
  }

  private void bodyTimedOut() {
    if (poisoned || !ctx.channel().isActive()) {
      return;
    }
    poisoned = true;
    rejected.accept("body_timeout");
    // The request is already routed and half read: nothing can be answered in order, so the connection
    // closes and the request's handlers see this failure.
    ctx.fireExceptionCaught(new ApiException(408, ApiError.REQUEST_TIMEOUT,
      "the request body did not arrive within " + bodyTimeoutMs + " ms (http.body-timeout-ms)"));
  }

  private void startHeaderDeadline() {
    cancel(headerDeadline);
    headerDeadline = schedule(headerTimeoutMs, this::headerTimedOut);
  }

  private ScheduledFuture<?> schedule(long millis, Runnable task) {
    return millis <= 0 ? null : ctx.executor().schedule(task, millis, TimeUnit.MILLISECONDS);
  }

  private void cancelDeadlines() {
    cancel(headerDeadline);
    cancel(bodyDeadline);
  }

  private static void cancel(ScheduledFuture<?> f) {
    if (f != null) {
      f.cancel(false);
    }
  }
}
