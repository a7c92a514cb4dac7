package io.eco2.tests.support;

import io.eco2.testkit.Await;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * An SSE stream being read by a test: every frame as it arrives, including comments and the {@code retry:}
 * directive (which EventSource-style parsers hide), and a future that completes when the server ends the
 * stream. Opened by {@link SseClient}.
 */
public final class SseRecording {

  private final List<SseFrame> frames = new CopyOnWriteArrayList<>();
  private final Promise<List<SseFrame>> ended = Promise.promise();
  // Byte-level: a chunk may end inside a multi-byte UTF-8 character of the Korean results.
  private final io.eco2.tests.load.SseParser parser = new io.eco2.tests.load.SseParser(
    f -> frames.add(SseFrame.of(f)), () -> ended.tryFail("SSE block over " + io.eco2.tests.load.SseParser.MAX_BLOCK_BYTES + " bytes"));
  private volatile HttpClientResponse response;

  /** Opens {@code path} with the given extra headers (see {@link SseClient} for the context to call it on). */
  static Future<SseRecording> open(HttpClient client, int port, String path, MultiMap headers) {
    SseRecording rec = new SseRecording();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
      .setURI(path).putHeader("Accept", "text/event-stream");
    if (headers != null) {
      headers.forEach(options::putHeader);
    }
    // The handlers are set inside send()'s own completion, before the connection reads any further, so a
    // short stream that ends at once cannot end before they are in place.
    return client.request(options).compose(req -> req.send().onSuccess(resp -> {
      rec.response = resp;
      resp.handler(rec::onData);
      resp.endHandler(v -> rec.onEnd());
      resp.exceptionHandler(err -> rec.ended.tryComplete(List.copyOf(rec.frames)));
    })).map(resp -> rec);
  }

  private synchronized void onData(Buffer chunk) {
    parser.feed(chunk);
  }

  private void onEnd() {
    ended.tryComplete(List.copyOf(frames));
  }

  public HttpClientResponse response() {
    return response;
  }

  public int status() {
    return response.statusCode();
  }

  /** Frames received so far. */
  public List<SseFrame> frames() {
    return List.copyOf(frames);
  }

  /** The event frames received so far. */
  public List<SseFrame> events() {
    return frames.stream().filter(SseFrame::isEvent).collect(Collectors.toList());
  }

  /** Completes with every frame when the server ends the stream (or the connection fails). */
  public Future<List<SseFrame>> ended() {
    return ended.future();
  }

  /** Every frame, once the server ended the stream (or the connection failed). */
  public List<SseFrame> awaitEnd() {
    return awaitEnd(Await.timeout());
  }

  /** Every frame; fails when the stream has not ended within {@code within}, with the frames so far. */
  public List<SseFrame> awaitEnd(Duration within) {
    try {
      return Await.result(ended(), within, "stream ended");
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; frames so far: " + frames(), e);
    }
  }

  /** Waits until at least {@code n} event frames arrived; returns the event frames so far. */
  public List<SseFrame> awaitEvents(int n) {
    return Await.until(n + " events on the stream", this::events, events -> events.size() >= n);
  }

  /** Closes the connection from the client side. */
  public void disconnect() {
    if (response != null) {
      response.request().connection().close();
    }
  }
}
