package io.eco2.tests.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.util.function.Consumer;

/**
 * One SSE stream opened by the load generator: frames are parsed as bytes arrive and handed to a listener
 * with their arrival time; {@link #ended()} completes when the server closes the stream, fails when the
 * connection breaks or the response is not a stream. Callbacks run on the context that opened the stream.
 */
public final class SseStream {

  /** How the stream ended. */
  public enum End {
    /** the server ended the response normally */
    CLOSED,
    /** the client closed it ({@link #close()}) */
    CANCELLED
  }

  private final Promise<End> ended = Promise.promise();
  private volatile HttpClientResponse response;
  private volatile boolean cancelled;
  private long openedNanos;

  private SseStream() {
  }

  /**
   * Opens {@code path}; the returned future completes once the response headers arrived with 200 and
   * {@code text/event-stream} (its value is the stream), or fails with the status and body start otherwise.
   */
  public static Future<SseStream> open(HttpClient client, String host, int port, String path, long idleTimeoutMs,
                                       Consumer<SseFrame> onFrame) {
    SseStream stream = new SseStream();
    stream.openedNanos = System.nanoTime();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port).setURI(path)
      .putHeader("Accept", "text/event-stream")
      // The engine sends a keep-alive comment every 15 s: a stream silent for longer is dead.
      .setIdleTimeout(idleTimeoutMs);
    return client.request(options).compose(req -> req.send()).compose(resp -> {
      String type = resp.getHeader("Content-Type");
      if (resp.statusCode() != 200 || type == null || !type.startsWith("text/event-stream")) {
        return resp.body().transform(ar -> Future.failedFuture(new IllegalStateException("stream answered "
          + resp.statusCode() + (ar.succeeded() ? ": " + abbreviate(ar.result().toString()) : ""))));
      }
      stream.response = resp;
      SseParser parser = new SseParser(onFrame, () -> stream.fail(new IllegalStateException("SSE block over "
        + SseParser.MAX_BLOCK_BYTES + " bytes")));
      // Handlers are set within send()'s completion, before the connection delivers more data.
      resp.handler(parser::feed);
      resp.endHandler(v -> stream.ended.tryComplete(End.CLOSED));
      resp.exceptionHandler(stream::fail);
      return Future.succeededFuture(stream);
    });
  }

  private void fail(Throwable error) {
    if (cancelled) {
      ended.tryComplete(End.CANCELLED);
    } else {
      ended.tryFail(error);
      close();
    }
  }

  /** When the request was sent, {@link System#nanoTime()}. */
  public long openedNanos() {
    return openedNanos;
  }

  /** Completes when the stream ends: by the server ({@link End#CLOSED}) or by {@link #close()}. */
  public Future<End> ended() {
    return ended.future();
  }

  /** Closes the connection (the server sees the client go away); nothing once the stream has ended. */
  public void close() {
    // After a normal end the connection went back to the pool and may already carry another user's request.
    if (ended.future().isComplete()) {
      return;
    }
    cancelled = true;
    HttpClientResponse r = response;
    if (r != null) {
      r.request().connection().close();
    }
    ended.tryComplete(End.CANCELLED);
  }

  static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }
}
