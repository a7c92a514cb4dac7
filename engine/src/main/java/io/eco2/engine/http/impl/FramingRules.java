package io.eco2.engine.http.impl;

import io.eco2.engine.http.ApiError;
import io.eco2.engine.http.ApiException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

import java.util.List;

/**
 * The RFC 9112 framing rules a request's head must satisfy before anything routes it. A request that breaks
 * one is answered with the error and its connection closed: after a framing error the server cannot know
 * where the next request starts, so anything after it on the connection might be smuggled.
 */
public final class FramingRules {

  private FramingRules() {
  }

  /** The error of a request whose line and headers were parsed, or null when its framing is sound. */
  public static ApiException check(HttpRequest request) {
    HttpVersion version = request.protocolVersion();
    if (version.majorVersion() != 1 || (version.minorVersion() != 0 && version.minorVersion() != 1)) {
      return new ApiException(505, ApiError.HTTP_VERSION_NOT_SUPPORTED,
        "HTTP version " + version.text() + " is not supported; use HTTP/1.1 or HTTP/1.0");
    }
    HttpHeaders headers = request.headers();
    List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
    if (hosts.size() > 1) {
      return new ApiException(400, ApiError.INVALID_HOST, "the request has " + hosts.size() + " Host headers; exactly one is allowed (RFC 9112 §3.2)");
    }
    if (hosts.isEmpty() && version.minorVersion() == 1) {
      return new ApiException(400, ApiError.INVALID_HOST, "an HTTP/1.1 request must carry a Host header (RFC 9112 §3.2)");
    }
    List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
    if (codings.isEmpty()) {
      return null;
    }
    if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
      return withContentLength();
    }
    if (version.minorVersion() == 0) {
      return new ApiException(400, ApiError.INVALID_FRAMING, "Transfer-Encoding is not defined for HTTP/1.0 (RFC 9112 §6.1)");
    }
    String joined = String.join(",", codings);
    String[] tokens = joined.split(",", -1);
    if (tokens.length != 1 || !tokens[0].trim().equalsIgnoreCase("chunked")) {
      return new ApiException(501, ApiError.UNSUPPORTED_TRANSFER_CODING, "Transfer-Encoding '" + printable(joined, 64)
        + "' is not supported; the only transfer coding accepted is 'chunked'");
    }
    return null;
  }

  /** Both Transfer-Encoding and Content-Length: the shape of a request smuggling attempt. */
  public static ApiException withContentLength() {
    return new ApiException(400, ApiError.INVALID_FRAMING,
      "the request has both Transfer-Encoding and Content-Length; send exactly one (RFC 9112 §6.1)");
  }

  /** Client text made safe to echo in a detail or a log line: printable ASCII only, at most {@code max} characters. */
  public static String printable(String s, int max) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < max; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return b.toString();
  }
}
