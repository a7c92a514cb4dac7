package io.eco2.tests.support;

import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.PoolOptions;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Opens {@link SseRecording}s from inside one Vert.x context, with a connection pool as large as asked.
 *
 * <p>Why not {@link EngineHarness#stream}: it opens each stream from the test thread (a new context each
 * time) on a pooled connection that may live on another event loop, so the response future's callback (where
 * {@link SseRecording} installs its data handler) can run as a separate task after the connection already saw
 * the response end. A short stream (a finished job's history and its end) then makes
 * {@code HttpClientResponse.handler} throw {@code IllegalStateException} and the recording never completes
 * (seen once in four runs of a late-subscriber test). Here every request and its connections share one
 * context, so the callback runs inline while the response head is handled, before any of the body.
 * The client also holds up to {@code maxConnections} streams at once (the default pool holds 5).
 */
public final class SseClient implements AutoCloseable {

  private final HttpClient http;
  private final int port;
  private final Context context;

  public SseClient(Vertx vertx, int port, int maxConnections) {
    this.port = port;
    this.context = vertx.getOrCreateContext();
    this.http = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(maxConnections));
  }

  public SseClient(Vertx vertx, int port) {
    this(vertx, port, 8);
  }

  /** Opens a job's stream; returns once the response head arrived. */
  public SseRecording open(String jobId, String query, MultiMap headers) {
    String path = "/api/v1/scan/" + jobId + "/events" + (query == null ? "" : "?" + query);
    Promise<SseRecording> opened = Promise.promise();
    context.runOnContext(v -> SseRecording.open(http, port, path, headers).onComplete(opened));
    return EngineHarness.await(opened.future());
  }

  public SseRecording open(String jobId) {
    return open(jobId, null, null);
  }

  /** Every frame of the stream, which must end by itself within {@code within}. */
  public static List<SseFrame> toEnd(SseRecording recording, Duration within) {
    try {
      return recording.ended().toCompletionStage().toCompletableFuture().get(within.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("stream did not end within " + within.toMillis() + " ms; frames so far: "
        + recording.frames());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    EngineHarness.await(http.close());
  }
}
