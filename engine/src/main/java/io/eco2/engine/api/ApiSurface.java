package io.eco2.engine.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * What a pipeline shows its clients: where its jobs live on the HTTP API, what a submit body must hold and
 * what it becomes, and what a finished job's result looks like. The engine owns the rest of the job
 * lifecycle — admission, idempotency, the SSE stream, status snapshots, the error shape, authentication —
 * and serves it the same way for every surface.
 *
 * <p>Surfaces are found through {@link java.util.ServiceLoader} ({@code META-INF/services/io.eco2.engine.api.ApiSurface}),
 * on the class path or in a plugin jar, and chosen by {@link #name()} with {@code api.surface}. The engine
 * calls {@link #init} once per process before any other method, in every role: API processes validate
 * requests with it, workers shape results with it. After {@code init} every method may be called
 * concurrently from several event loops and must not block.
 *
 * <p>Under {@link #basePath()} the engine serves {@code POST base} (submit), {@code GET base/{id}/events}
 * (SSE), {@code GET base/{id}/result} and {@code GET base/{id}} (status).
 */
public interface ApiSurface {

  /** The name {@code api.surface} selects; lower case, like a stage name. */
  String name();

  /**
   * Where this surface's jobs live, e.g. {@code /api/v1/scan}: starts with {@code /}, no trailing
   * {@code /}. The submit response's {@code stream_url} and {@code result_url} are built from it.
   */
  String basePath();

  /** Reads what it needs from its setup; a failed future stops start-up with its message. */
  default Future<Void> init(SurfaceSetup setup) {
    return Future.succeededFuture();
  }

  /**
   * Validates a submit body (already parsed as a JSON object) and shapes it into the job's initial data,
   * the input of the first stage.
   *
   * @throws RequestRejected naming the field at fault and the code a client can act on (400 unless it says otherwise)
   */
  JsonObject toJobData(JsonObject body);

  /**
   * The body of {@code GET base/{id}/result} for a job that ended {@code done}; also the {@code result} of
   * its {@code done} event.
   *
   * @param data the job's data: its submitted input merged with every stage's output, in pipeline order
   * @param degraded the stages whose fallback was used
   */
  default JsonObject completedResult(String jobId, JsonObject data, JsonArray degraded) {
    return new JsonObject()
      .put("job_id", jobId)
      .put("status", "completed")
      .put("result", data.copy())
      .put("degraded", degraded.copy())
      .putNull("error");
  }

  /**
   * The body of {@code GET base/{id}/result} for a job that ended with {@code error}.
   *
   * @param stage the stage that failed
   * @param code its error code ({@code StageFailure#code()})
   * @param message its error message
   */
  default JsonObject failedResult(String jobId, JsonObject data, JsonArray degraded, String stage, String code, String message) {
    return new JsonObject()
      .put("job_id", jobId)
      .put("status", "failed")
      .put("result", data.copy())
      .put("degraded", degraded.copy())
      .put("error", new JsonObject().put("stage", stage).put("code", code).put("message", message));
  }

  /**
   * Adds routes of the surface's own (lookup tables, a form page) to each HTTP server's router. They are
   * mounted after the engine's job routes and behind the same authentication when under {@code /api/}.
   */
  default void mountRoutes(Router router) {
  }

  /** Releases what {@link #init} acquired. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
