package io.eco2.engine.http;

import io.eco2.engine.api.RequestRejected;
import io.eco2.engine.http.impl.FramingRules;
import io.eco2.engine.http.impl.RateLimitedLog;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.StreamResetException;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.TreeSet;

/**
 * The router's answers to everything no API handler answered itself: unknown paths (404), wrong methods (405
 * with {@code Allow}), bodies refused by Vert.x Web (413, 417), undecodable paths and queries (400), an
 * {@link ApiException} thrown or failed by a handler, and real faults (500). Each carries the contract's
 * {@code {"detail", "code"}} body.
 *
 * <p>A client's fault logs at most one rate-limited WARNING line; a server fault logs its stack trace at
 * ERROR, because that is a bug to fix.
 */
public final class ApiErrorHandlers {

  /** The logger of faults found while routing. */
  public static final String LOGGER = "io.eco2.engine.http.ApiErrorHandlers";

  private static final System.Logger FAULTS = System.getLogger(LOGGER);
  private static final RateLimitedLog REFUSED = new RateLimitedLog(LOGGER, 1000);
  // 200 too: Vert.x Web's body handler fails a request whose stream failed with status 200.
  private static final int[] STATUSES = {200, 400, 401, 403, 404, 405, 406, 408, 409, 410, 411, 412, 413, 414, 415, 416,
    417, 422, 428, 429, 431, 500, 501, 502, 503, 504, 505};

  private ApiErrorHandlers() {
  }

  /**
   * Sets the router's error handler of every status it may produce, and as its first route a check of the
   * request target (Vert.x Web would otherwise fail on a bad percent-escape while matching routes, with a
   * plain-text 400). Call on an empty router.
   */
  public static void mount(Router router) {
    for (int status : STATUSES) {
      router.errorHandler(status, ctx -> answer(router, status < 400 ? 500 : status, ctx));
    }
    router.route().handler(ApiErrorHandlers::checkTarget);
  }

  private static void checkTarget(RoutingContext ctx) {
    String path = ctx.request().path();
    int bad = badEscape(path);
    if (bad >= 0) {
      throw new ApiException(400, ApiError.MALFORMED_REQUEST, "the path has an invalid percent-escape at character "
        + bad + " ('%' must be followed by two hex digits)");
    }
    String query = ctx.request().query();
    bad = badEscape(query);
    if (bad >= 0) {
      throw new ApiException(400, ApiError.MALFORMED_REQUEST, "the query has an invalid percent-escape at character "
        + bad + " ('%' must be followed by two hex digits)");
    }
    ctx.next();
  }

  /** The index of the first '%' not followed by two hex digits, or -1. */
  static int badEscape(String s) {
    if (s == null) {
      return -1;
    }
    for (int i = s.indexOf('%'); i >= 0; i = s.indexOf('%', i + 1)) {
      if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0) {
        return i;
      }
    }
    return -1;
  }

  private static void answer(Router router, int status, RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ApiException refused) {
      REFUSED.warn(line(ctx, refused.error()));
      refused.error().send(ctx.response());
      return;
    }
    if (failure instanceof RequestRejected rejected) {
      ApiError error = new ApiError(rejected.status(), rejected.code(), rejected.getMessage());
      REFUSED.warn(line(ctx, error));
      error.send(ctx.response());
      return;
    }
    if (failure != null && isClientGone(failure)) {
      REFUSED.warn("request " + ctx.request().method() + " " + FramingRules.printable(loggable(ctx.request().uri()), 200)
        + " ended by the client: " + failure);
      return;
    }
    ApiError error = errorFor(router, status, ctx);
    if (status >= 500) {
      FAULTS.log(Level.ERROR, "fault while serving " + ctx.request().method() + " " + ctx.request().path(), failure);
    } else if (failure != null) {
      REFUSED.warn(line(ctx, error));
    }
    error.send(ctx.response());
  }

  private static ApiError errorFor(Router router, int status, RoutingContext ctx) {
    String path = FramingRules.printable(ctx.request().path() == null ? "" : ctx.request().path(), 200);
    switch (status) {
      case 400:
        return ctx.failure() instanceof IllegalArgumentException bad
          ? new ApiError(400, ApiError.MALFORMED_REQUEST, "the path or query is not valid: " + FramingRules.printable(String.valueOf(bad.getMessage()), 200))
          : new ApiError(400, ApiError.BAD_REQUEST, "bad request");
      case 404:
        return new ApiError(404, ApiError.NOT_FOUND, "no such resource: " + path);
      case 405:
        String allow = String.join(", ", allowed(router, ctx.request().path()));
        ctx.response().putHeader("Allow", allow);
        return new ApiError(405, ApiError.METHOD_NOT_ALLOWED, ctx.request().method() + " is not allowed on " + path
          + "; allowed: " + allow);
      case 413:
        return new ApiError(413, ApiError.BODY_TOO_LARGE, "request body is too large");
      case 415:
        return new ApiError(415, ApiError.UNSUPPORTED_MEDIA_TYPE, "unsupported Content-Type");
      case 417:
        return new ApiError(417, ApiError.EXPECTATION_FAILED, "the only expectation supported is 'Expect: 100-continue'");
      default:
        if (status >= 500) {
          return new ApiError(status, ApiError.INTERNAL, "internal error");
        }
        return new ApiError(status, HttpResponseStatus.valueOf(status).reasonPhrase().toUpperCase().replaceAll("[^A-Z0-9]+", "_"),
          HttpResponseStatus.valueOf(status).reasonPhrase());
    }
  }

  /** The methods some route with a path template accepts on {@code path} (what a 405's Allow lists). */
  static Set<String> allowed(Router router, String path) {
    Set<String> methods = new TreeSet<>();
    for (Route route : router.getRoutes()) {
      Set<HttpMethod> accepted = route.methods();
      if (accepted != null && !accepted.isEmpty() && route.getPath() != null
        && templateMatches(route.getPath(), path)) {
        accepted.forEach(m -> methods.add(m.name()));
      }
    }
    return methods;
  }

  // "/api/v1/scan/:jobId/events" against a concrete path: literal segments equal, ":name" any one segment.
  static boolean templateMatches(String template, String path) {
    if (path == null) {
      return false;
    }
    String[] t = template.split("/", -1);
    String[] p = path.split("/", -1);
    if (t.length > 0 && t[t.length - 1].equals("*")) {
      if (p.length < t.length - 1) {
        return false;
      }
    } else if (t.length != p.length) {
      return false;
    }
    for (int i = 0; i < t.length; i++) {
      if (t[i].equals("*") && i == t.length - 1) {
        return true;
      }
      if (!(t[i].startsWith(":") && !p[i].isEmpty()) && !t[i].equals(p[i])) {
        return false;
      }
    }
    return true;
  }

  // An EventSource carries its credential as ?access_token= (auth/ApiAuth): never into a log line.
  private static final java.util.regex.Pattern ACCESS_TOKEN = java.util.regex.Pattern.compile("(?i)(access_token=)[^&#]*");

  static String loggable(String uri) {
    return uri == null ? "" : ACCESS_TOKEN.matcher(uri).replaceAll("$1***");
  }

  private static boolean isClientGone(Throwable failure) {
    return failure instanceof HttpClosedException || failure instanceof StreamResetException || failure instanceof IOException;
  }

  private static String line(RoutingContext ctx, ApiError error) {
    return "refused " + ctx.request().method() + " " + FramingRules.printable(loggable(String.valueOf(ctx.request().uri())), 200)
      + " from " + ctx.request().remoteAddress() + ": " + error.status() + " " + error.code() + " (" + error.detail() + ")";
  }
}
