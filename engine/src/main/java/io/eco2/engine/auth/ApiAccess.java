package io.eco2.engine.auth;

import io.eco2.engine.eventlog.JobStore;
import io.eco2.engine.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.Redis;



/**
 * What an API surface asks about the caller of a request: who it is, whether it may see a job, and whether
 * it may submit one more. One per engine; the HTTP server mounts its {@link ApiAuth} in front of every
 * {@code /api/v1/*} route, so the surface's own handlers only run for authenticated callers.
 */
public final class ApiAccess {

  private final ApiAuth auth;
  private final JobOwnership ownership;
  private final UserRateLimit userLimit;

  private ApiAccess(ApiAuth auth, JobOwnership ownership, UserRateLimit userLimit) {
    this.auth = auth;
    this.ownership = ownership;
    this.userLimit = userLimit;
  }

  /**
   * @param redis the event log's pooled client in distributed mode (the per-user limit is then shared by
   *              every API instance), or null
   */
  public static ApiAccess create(Vertx vertx, AuthOptions options, JobStore store, Redis redis, String keyPrefix) {
    ApiAuth auth = ApiAuth.create(vertx, options);
    return new ApiAccess(auth, new JobOwnership(store, auth.enabled()),
      auth.enabled() ? UserRateLimit.create(options.userRateLimitPerMinute(), redis, keyPrefix) : null);
  }

  /** Puts the credential check in front of every {@code /api/v1/*} route (mount before the routes). */
  public void mount(Router router) {
    router.route("/api/v1/*").handler(auth);
  }

  public Caller caller(RoutingContext ctx) {
    return ApiAuth.caller(ctx);
  }

  /** The owner to record for a job submitted by this request's caller (null without authentication). */
  public String ownerFor(RoutingContext ctx) {
    return ownership.ownerFor(caller(ctx));
  }

  /** Whether this request's caller may see the job; when false, answer exactly as for an unknown job. */
  public Future<Boolean> mayAccess(RoutingContext ctx, String jobId) {
    return ownership.mayAccess(jobId, caller(ctx));
  }

  /**
   * Takes one submit from the caller's per-minute budget. Completes with true when the submit may go on;
   * otherwise it has answered 429 {@code USER_RATE_LIMITED} with {@code Retry-After} and completes false.
   */
  public Future<Boolean> admitSubmit(RoutingContext ctx) {
    if (userLimit == null) {
      return Future.succeededFuture(true);
    }
    return userLimit.tryAcquire(caller(ctx)).map(wait -> {
      if (wait.isZero()) {
        return true;
      }
      long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
      ctx.response().putHeader("Retry-After", Long.toString(seconds));
      new ApiError(429, ApiError.USER_RATE_LIMITED, "at most " + auth.options().userRateLimitPerMinute()
        + " submits per minute per user (auth.user-rate-limit.per-minute); retry in " + seconds + " s").send(ctx.response());
      return false;
    });
  }

  public Future<Void> close() {
    return auth.close();
  }

}
