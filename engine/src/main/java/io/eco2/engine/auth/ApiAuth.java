package io.eco2.engine.auth;

import io.eco2.engine.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * The route handler in front of every {@code /api/v1/*} route: turns the request's credential into a
 * {@link Caller} (read back with {@link #caller}) or answers 401 {@code UNAUTHORIZED} with a
 * {@code WWW-Authenticate: Bearer} header (RFC 6750), before any of the request body is read.
 *
 * <p>The credential is {@code Authorization: Bearer <token>}. A browser's {@code EventSource} cannot set
 * headers, so a {@code GET} of an events route (a path ending in {@code /events}) may carry it as
 * {@code ?access_token=} or in the {@code auth.cookie-name} cookie instead; the header wins. The credential
 * is never logged and never part of an answer.
 */
public final class ApiAuth implements Handler<RoutingContext> {

  private static final System.Logger LOG = System.getLogger(ApiAuth.class.getName());
  private static final String CALLER_KEY = ApiAuth.class.getName() + ".caller";
  private static final String REALM = "eco2";
  // Vert.x Web's router traces every request's absolute URI, query (and so ?access_token=) included. Held
  // here (JUL keeps loggers weakly) and capped at INFO whenever credentials are checked.
  private static final java.util.logging.Logger ROUTER_TRACE = java.util.logging.Logger.getLogger("io.vertx.ext.web.impl.RouterImpl");

  private final AuthOptions options;
  private final Credentials credentials;

  private ApiAuth(AuthOptions options, Credentials credentials) {
    this.options = options;
    this.credentials = credentials;
  }

  /**
   * The handler for {@code options.mode()}. Fails with an {@link IllegalArgumentException} naming the key
   * when the credentials cannot be set up (an unreadable key file).
   */
  public static ApiAuth create(Vertx vertx, AuthOptions options) {
    Credentials c = switch (options.mode()) {
      case NONE -> null;
      case API_KEY -> new ApiKeyCredentials(options.apiKeys());
      case JWT -> JwtCredentials.create(vertx, options);
    };
    LOG.log(System.Logger.Level.INFO, "API authentication: {0}", options);
    if (c != null) {
      ROUTER_TRACE.setLevel(java.util.logging.Level.INFO);
    }
    return new ApiAuth(options, c);
  }

  public AuthOptions options() {
    return options;
  }

  /** Whether requests need a credential (and jobs have owners). */
  public boolean enabled() {
    return credentials != null;
  }

  /** The caller a request was authenticated as ({@link Caller#ANONYMOUS} when authentication is off). */
  public static Caller caller(RoutingContext ctx) {
    Caller c = ctx.get(CALLER_KEY);
    return c == null ? Caller.ANONYMOUS : c;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (credentials == null) {
      ctx.put(CALLER_KEY, Caller.ANONYMOUS);
      ctx.next();
      return;
    }
    String token = token(ctx.request());
    if (token == null) {
      unauthorized(ctx, AuthFailure.missing("missing credential: send Authorization: Bearer <"
        + (options.mode() == AuthOptions.Mode.JWT ? "JWT" : "API key") + ">"));
      return;
    }
    // Paused until the check completes, so that a POST body is not lost meanwhile (as Vert.x Web's own
    // authentication handlers do); resumed right before the next handler takes over, in the same tick.
    if (!ctx.request().isEnded()) {
      ctx.request().pause();
    }
    credentials.verify(token).onComplete(ar -> {
      if (!ctx.request().isEnded()) {
        ctx.request().resume();
      }
      if (ar.succeeded()) {
        ctx.put(CALLER_KEY, ar.result());
        ctx.next();
      } else if (ar.cause() instanceof AuthFailure failure) {
        unauthorized(ctx, failure);
      } else {
        new ApiError(503, ApiError.NOT_READY, "credentials cannot be checked right now: " + ar.cause().getMessage())
          .send(ctx.response());
      }
    });
  }

  private String token(HttpServerRequest request) {
    String auth = request.getHeader("Authorization");
    if (auth != null) {
      return auth.regionMatches(true, 0, "Bearer ", 0, 7) && auth.length() > 7 ? auth.substring(7).trim() : null;
    }
    if (request.method() == HttpMethod.GET && request.path().endsWith("/events")) {
      String query = request.getParam(AuthOptions.ACCESS_TOKEN_PARAM);
      if (query != null && !query.isEmpty()) {
        return query;
      }
      Cookie cookie = request.getCookie(options.cookieName());
      if (cookie != null && !cookie.getValue().isEmpty()) {
        return cookie.getValue();
      }
    }
    return null;
  }

  private static void unauthorized(RoutingContext ctx, AuthFailure failure) {
    String challenge = "Bearer realm=\"" + REALM + "\"" + (failure.error() == null ? ""
      : ", error=\"" + failure.error() + "\", error_description=\"" + failure.getMessage().replace("\"", "'") + "\"");
    ctx.response().putHeader("WWW-Authenticate", challenge);
    new ApiError(401, ApiError.UNAUTHORIZED, failure.getMessage()).send(ctx.response());
  }

  /** Releases the key-set client (JWKS). */
  public Future<Void> close() {
    if (credentials instanceof JwtCredentials jwt) {
      jwt.close();
    }
    return Future.succeededFuture();
  }
}
