package io.eco2.engine.http;

import io.eco2.engine.api.ApiSurface;
import io.eco2.engine.api.RequestRejected;
import io.eco2.engine.auth.ApiAccess;
import io.eco2.engine.eventlog.EventId;
import io.eco2.engine.eventlog.EventLog;
import io.eco2.engine.eventlog.JobStore;
import io.eco2.engine.job.ProgressEvent;
import io.eco2.engine.runtime.JobCancellation;
import io.eco2.engine.runtime.JobIntake;
import io.eco2.engine.sse.SseHub;
import io.eco2.engine.transport.BacklogFullException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.time.Instant;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The job lifecycle of CONTRACT §2 on a Vert.x Web router — submit, SSE events, result, status and cancel — under
 * the base path of an {@link ApiSurface}, which validates and shapes what is pipeline-specific.
 *
 * <p>Every error is an {@link ApiError}. The SSE route has no body handler, no timeout handler and no
 * compression, so frames leave as soon as they are written.
 */
public final class JobApi {

  private static final String IDEMPOTENCY_HEADER = "X-Idempotency-Key";
  private static final int MAX_IDEMPOTENCY_KEY = 128;

  private final ApiOptions options;
  private final ApiSurface surface;
  private final JobIntake intake;
  private final EventLog log;
  private final JobStore store;
  private final SseHub hub;
  private final BooleanSupplier ready;
  private final ApiAccess access;
  private final JobCancellation cancellation;

  /**
   * @param ready whether submits are accepted: every backing service reachable and the engine not draining
   * @param access the caller of each request and which jobs it may see (the credential check itself is
   *               mounted in front of these routes by the server)
   */
  public JobApi(ApiOptions options, ApiSurface surface, JobIntake intake, EventLog log, JobStore store, SseHub hub,
                BooleanSupplier ready, ApiAccess access, JobCancellation cancellation) {
    this.options = options;
    this.surface = surface;
    this.intake = intake;
    this.log = log;
    this.store = store;
    this.hub = hub;
    this.ready = ready;
    this.access = access;
    this.cancellation = cancellation;
  }

  /** Adds the surface's job routes, then its own routes, to {@code router}. */
  public void mount(Vertx vertx, Router router) {
    String base = surface.basePath();
    // Two routes, because Vert.x Web wants the body handler first on its route and the media type is
    // checked before any of the body is read.
    router.post(base).handler(this::requireJson);
    router.post(base)
      .handler(BodyHandler.create(false).setBodyLimit(options.maxBodyBytes()))
      .handler(this::submit)
      .failureHandler(JobApi::bodyFailure);
    router.get(base + "/:jobId/events").handler(this::events);
    router.get(base + "/:jobId/result").handler(this::result);
    router.get(base + "/:jobId").handler(this::status);
    router.delete(base + "/:jobId").handler(this::cancel);
    surface.mountRoutes(router);
  }

  /**
   * Runs {@code then} when the caller may see the job; otherwise answers {@code notFound}, exactly as for an
   * unknown job (another user's job must not be told apart from one that does not exist).
   */
  private void owned(RoutingContext ctx, String jobId, Runnable notFound, Runnable then) {
    access.mayAccess(ctx, jobId).onComplete(ar -> {
      if (ar.failed()) {
        unavailable(ctx, ar.cause());
      } else if (ar.result()) {
        then.run();
      } else {
        notFound.run();
      }
    });
  }

  private void cancel(RoutingContext ctx) {
    String jobId = ctx.pathParam("jobId");
    if (!isUuid(jobId)) {
      jobNotFound(ctx, jobId);
      return;
    }
    owned(ctx, jobId, () -> jobNotFound(ctx, jobId), () -> cancellation.cancel(jobId).onComplete(ar -> {
      if (ar.failed()) {
        unavailable(ctx, ar.cause());
        return;
      }
      switch (ar.result()) {
        case UNKNOWN -> jobNotFound(ctx, jobId);
        case ENDED -> new ApiError(409, ApiError.JOB_ENDED, "job '" + jobId + "' has already ended; see its result").send(ctx.response());
        default -> json(ctx, 202, new JsonObject().put("job_id", jobId).put("status", "cancelling"));
      }
    }));
  }

  private void requireJson(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    String mime = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase();
    if (!mime.equals("application/json")) {
      new ApiError(415, ApiError.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json, got "
        + (type == null ? "none" : "'" + type + "'")).send(ctx.response());
      return;
    }
    String length = ctx.request().getHeader("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > options.maxBodyBytes()) {
          tooLarge(ctx);
          return;
        }
      } catch (NumberFormatException ignored) {
        // the body handler enforces the limit on what actually arrives
      }
    }
    ctx.next();
  }

  private void tooLarge(RoutingContext ctx) {
    new ApiError(413, ApiError.BODY_TOO_LARGE, "request body is larger than " + options.maxBodyBytes() + " bytes")
      .send(ctx.response());
  }

  private static void bodyFailure(RoutingContext ctx) {
    if (ctx.statusCode() == 413) {
      new ApiError(413, ApiError.BODY_TOO_LARGE, "request body is too large").send(ctx.response());
    } else if (ctx.statusCode() == 400) {
      new ApiError(400, ApiError.INVALID_JSON, "request body could not be read").send(ctx.response());
    } else {
      ctx.next();
    }
  }

  private void submit(RoutingContext ctx) {
    if (!intake.isOpen() || !ready.getAsBoolean()) {
      new ApiError(503, ApiError.NOT_READY, "the engine is not accepting jobs right now (starting, draining or a backing service is down)")
        .send(ctx.response());
      return;
    }
    String key = ctx.request().getHeader(IDEMPOTENCY_HEADER);
    if (key != null && (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY)) {
      new ApiError(400, ApiError.INVALID_IDEMPOTENCY_KEY, IDEMPOTENCY_HEADER + " must be 1 to " + MAX_IDEMPOTENCY_KEY + " characters")
        .send(ctx.response());
      return;
    }
    JsonObject data;
    try {
      data = surface.toJobData(JsonBody.parseObject(ctx.body().buffer()));
    } catch (RequestRejected rejected) {
      new ApiError(rejected.status(), rejected.code(), rejected.getMessage()).send(ctx.response());
      return;
    }
    access.admitSubmit(ctx).onComplete(admitted -> {
      if (admitted.failed()) {
        unavailable(ctx, admitted.cause());
      } else if (admitted.result()) {
        accept(ctx, data, key);
      }
    });
  }

  private void accept(RoutingContext ctx, JsonObject data, String key) {
    intake.submit(data, key, access.ownerFor(ctx)).onComplete(ar -> {
      if (ar.succeeded()) {
        json(ctx, 200, ar.result());
      } else if (ar.cause() instanceof BacklogFullException full) {
        ctx.response().putHeader("Retry-After", String.valueOf(options.overloadRetryAfterSeconds()));
        new ApiError(429, ApiError.OVERLOADED, "the pipeline is at capacity (" + full.getMessage() + "); retry later")
          .send(ctx.response());
      } else {
        new ApiError(503, ApiError.NOT_READY, "job could not be accepted: " + ar.cause().getMessage()).send(ctx.response());
      }
    });
  }

  private void events(RoutingContext ctx) {
    String jobId = ctx.pathParam("jobId");
    if (!isUuid(jobId)) {
      jobNotFound(ctx, jobId);
      return;
    }
    EventId after;
    try {
      after = lastEventId(ctx);
    } catch (ApiException refused) {
      refused.error().send(ctx.response());
      return;
    }
    if (ctx.request().version() == HttpVersion.HTTP_1_0) {
      // HTTP/1.0 has no chunked coding: the stream's end is the connection's close (RFC 9112 §6.3).
      ctx.addEndHandler(ar -> ctx.request().connection().close());
    }
    EventId from = after;
    // 404 only when the log says the job does not exist; a log that does not answer gets a 200 stream
    // that waits for it (an EventSource gives up for good on any non-200 answer).
    owned(ctx, jobId, () -> jobNotFound(ctx, jobId), () -> log.latest(jobId).onComplete(ar -> {
      if (ar.failed()) {
        hub.serveWhenAvailable(jobId, from, ctx.response());
      } else if (ar.result() == null) {
        jobNotFound(ctx, jobId);
      } else {
        hub.serve(jobId, from, ar.result(), ctx.response());
      }
    }));
  }

  /**
   * The id a client resumes after: {@code Last-Event-ID}, else {@code last_event_id}, else none. Either must
   * be exactly {@code <ms>-<n>} (CONTRACT §8), else 400 {@code INVALID_LAST_EVENT_ID}.
   */
  static EventId lastEventId(RoutingContext ctx) {
    String header = ctx.request().getHeader("Last-Event-ID");
    String source = "Last-Event-ID";
    String last = header;
    if (last == null || last.isEmpty()) {
      last = ctx.request().getParam("last_event_id");
      source = "last_event_id";
    }
    if (last == null || last.isEmpty()) {
      return EventId.ZERO;
    }
    try {
      return EventId.parseStrict(last);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, ApiError.INVALID_LAST_EVENT_ID, source + ": " + e.getMessage());
    }
  }

  private void result(RoutingContext ctx) {
    String jobId = ctx.pathParam("jobId");
    if (!isUuid(jobId)) {
      resultNotFound(ctx, jobId);
      return;
    }
    owned(ctx, jobId, () -> resultNotFound(ctx, jobId), () -> resultOf(ctx, jobId));
  }

  private void resultOf(RoutingContext ctx, String jobId) {
    store.result(jobId).onComplete(stored -> {
      if (stored.failed()) {
        unavailable(ctx, stored.cause());
      } else if (stored.result() != null) {
        json(ctx, 200, stored.result());
      } else {
        log.latest(jobId).onComplete(latest -> {
          if (latest.failed()) {
            unavailable(ctx, latest.cause());
          } else if (latest.result() == null) {
            resultNotFound(ctx, jobId);
          } else {
            ctx.response().putHeader("Retry-After", String.valueOf(options.resultRetryAfterSeconds()));
            json(ctx, 202, new JsonObject()
              .put("status", "processing")
              .put("message", "job is still running")
              .put("current_stage", latest.result().stage())
              .put("progress", latest.result().progress()));
          }
        });
      }
    });
  }

  private static void unavailable(RoutingContext ctx, Throwable cause) {
    new ApiError(503, ApiError.NOT_READY, "event log unavailable: " + cause.getMessage()).send(ctx.response());
  }

  private void status(RoutingContext ctx) {
    String jobId = ctx.pathParam("jobId");
    if (!isUuid(jobId)) {
      jobNotFound(ctx, jobId);
      return;
    }
    owned(ctx, jobId, () -> jobNotFound(ctx, jobId), () -> statusOf(ctx, jobId));
  }

  private void statusOf(RoutingContext ctx, String jobId) {
    log.latest(jobId).onComplete(ar -> {
      if (ar.failed()) {
        unavailable(ctx, ar.cause());
      } else if (ar.result() == null) {
        jobNotFound(ctx, jobId);
      } else {
        ProgressEvent e = ar.result();
        json(ctx, 200, new JsonObject()
          .put("job_id", jobId)
          .put("status", jobStatus(e))
          .put("stage", e.stage())
          .put("progress", e.progress())
          .put("updated_at", Instant.ofEpochMilli(e.ts()).toString()));
      }
    });
  }

  static String jobStatus(ProgressEvent e) {
    switch (e.stage()) {
      case ProgressEvent.QUEUED: return "queued";
      case ProgressEvent.DONE: return "completed";
      case ProgressEvent.ERROR: return "failed";
      default: return "running";
    }
  }

  private static boolean isUuid(String s) {
    try {
      return s != null && s.length() == 36 && UUID.fromString(s).toString().equalsIgnoreCase(s);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static void jobNotFound(RoutingContext ctx, String jobId) {
    new ApiError(404, ApiError.JOB_NOT_FOUND, "no job '" + jobId + "' (unknown or expired)").send(ctx.response());
  }

  private static void resultNotFound(RoutingContext ctx, String jobId) {
    new ApiError(404, ApiError.RESULT_NOT_FOUND, "no result for job '" + jobId + "' (unknown or expired)").send(ctx.response());
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8").end(body.encode());
  }
}
