package io.eco2.engine.auth;

import io.eco2.engine.http.ApiError;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;

import java.util.List;
import java.util.Set;

/**
 * {@code http.cors.allowed-origins}: lets a web front end on another origin call the API, with credentials.
 *
 * <p>Origins are matched exactly (scheme, host and port, by Vert.x's {@link CorsHandler}). A listed origin
 * gets {@code Access-Control-Allow-Origin: <origin>} with {@code Allow-Credentials: true}, and its preflights
 * are answered for {@code GET}, {@code POST} and {@code DELETE} with {@code Content-Type},
 * {@code Authorization}, {@code X-Idempotency-Key} and {@code Last-Event-ID}; {@code Retry-After} and
 * {@code WWW-Authenticate} are exposed to its scripts. Any other origin is granted nothing: its requests are
 * served without CORS headers (so the browser keeps their answers from the page; same-origin pages such as
 * the demo page work as before) and its preflights answer 403 {@code CORS_ORIGIN_NOT_ALLOWED}. An empty
 * list mounts nothing.
 */
public final class Cors implements Handler<RoutingContext> {

  static final Set<String> ALLOWED_HEADERS = Set.of("Content-Type", "Authorization", "X-Idempotency-Key", "Last-Event-ID");
  static final Set<String> EXPOSED_HEADERS = Set.of("Retry-After", "WWW-Authenticate");
  /** How long a browser may cache a preflight answer. */
  public static final int MAX_AGE_SECONDS = 600;

  private final CorsHandler granted;
  private final List<String> origins;

  private Cors(List<String> origins) {
    this.origins = List.copyOf(origins);
    this.granted = CorsHandler.create()
      .addOrigins(this.origins)
      .allowCredentials(true)
      .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE))
      .allowedHeaders(ALLOWED_HEADERS)
      .exposedHeaders(EXPOSED_HEADERS)
      .maxAgeSeconds(MAX_AGE_SECONDS);
  }

  /** Mounts CORS in front of every route of {@code router}; does nothing for an empty list. */
  public static void mount(Router router, List<String> allowedOrigins) {
    if (!allowedOrigins.isEmpty()) {
      router.route().order(-1).handler(new Cors(allowedOrigins));
    }
  }

  @Override
  public void handle(RoutingContext ctx) {
    String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
    if (origin == null || isListed(origin)) {
      granted.handle(ctx);
      return;
    }
    ctx.response().headers().add(HttpHeaders.VARY, HttpHeaders.ORIGIN);
    if (ctx.request().method() == HttpMethod.OPTIONS && ctx.request().getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) != null) {
      new ApiError(403, ApiError.CORS_ORIGIN_NOT_ALLOWED, "origin '" + origin + "' is not in http.cors.allowed-origins")
        .send(ctx.response());
      return;
    }
    ctx.next();
  }

  private boolean isListed(String origin) {
    for (String o : origins) {
      if (o.equalsIgnoreCase(origin)) {
        return true;
      }
    }
    return false;
  }
}
