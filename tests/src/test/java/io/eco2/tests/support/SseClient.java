package io.eco2.tests.support;

import io.eco2.testkit.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.PoolOptions;

import java.time.Duration;
import java.util.List;

/**
 * The tests' one SSE client: opens a job's stream on one engine ({@code /api/v1/scan/{id}/events}) as an
 * {@link SseRecording} that sees every frame as it arrives, and follows streams to their end.
 *
 * <p>Every request and its connections share one Vert.x context, so the response callback (where the
 * recording installs its handlers) runs inline while the response head is handled, before any of the body.
 * Opened from the test thread on a pooled connection of another event loop, the callback could run after the
 * connection already saw a short stream (a finished job's history) end, and the recording would never
 * complete ({@code IllegalStateException} from {@code HttpClientResponse.handler}, once in four runs of a
 * late-subscriber test). The pool holds {@link #DEFAULT_MAX_CONNECTIONS} streams at once (Vert.x's default of
 * 5 would queue the sixth stream behind five open ones).
 */
public final class SseClient implements AutoCloseable {

  /** Streams one client holds open at once. */
  public static final int DEFAULT_MAX_CONNECTIONS = 512;

  private final HttpClient http;
  private final int port;
  private final Context context;

  public SseClient(Vertx vertx, int port, int maxConnections) {
    this.port = port;
    this.context = vertx.getOrCreateContext();
    this.http = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(maxConnections));
  }

  public SseClient(Vertx vertx, int port) {
    this(vertx, port, DEFAULT_MAX_CONNECTIONS);
  }

  /** The path of a job's stream. */
  public static String eventsPath(String jobId) {
    return "/api/v1/scan/" + jobId + "/events";
  }

  /** The header that resumes a stream after {@code eventId}. */
  public static MultiMap lastEventId(String eventId) {
    return MultiMap.caseInsensitiveMultiMap().add("Last-Event-ID", eventId);
  }

  /** Opens {@code path} with extra headers (may be null); completes once the response head arrived. */
  public Future<SseRecording> openAsync(String path, MultiMap headers) {
    Promise<SseRecording> opened = Promise.promise();
    context.runOnContext(v -> SseRecording.open(http, port, path, headers).onComplete(opened));
    return opened.future();
  }

  /** Opens a job's stream with an optional query ({@code last_event_id=…}) and extra headers. */
  public SseRecording open(String jobId, String query, MultiMap headers) {
    String path = eventsPath(jobId) + (query == null ? "" : "?" + query);
    return Await.result(openAsync(path, headers), "stream of " + jobId + " opened");
  }

  public SseRecording open(String jobId) {
    return open(jobId, null, null);
  }

  /** Completes with every frame of the job's stream once the server ends it; fails unless it answered 200. */
  public Future<List<SseFrame>> follow(String jobId) {
    return openAsync(eventsPath(jobId), null).compose(rec -> {
      if (rec.status() != 200) {
        return Future.failedFuture(new AssertionError("events of " + jobId + " answered " + rec.status()));
      }
      return rec.ended();
    });
  }

  /** Every frame of the job's stream, which must end by itself (blocks the test thread until it does). */
  public List<SseFrame> toEnd(String jobId) {
    return Await.result(follow(jobId), "stream of job " + jobId + " ended");
  }

  /** Every frame of a stream, which must end by itself within {@code within}. */
  public static List<SseFrame> toEnd(SseRecording recording, Duration within) {
    return recording.awaitEnd(within);
  }

  @Override
  public void close() {
    Await.result(http.close(), "SSE client closed");
  }
}
