package io.eco2.tests.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a job's whole SSE stream as one response body (the web client buffers it until the server ends the
 * stream), then splits it into frames.
 *
 * <p>Unlike {@link SseRecording}, which sets its body handler after the response future completes and so can
 * miss a stream that the server ends at once (an already finished job: {@code IllegalStateException} from
 * {@code HttpClientResponseImpl.checkEnded}), this cannot race. Its own connection pool is large enough for
 * many concurrent streams (the default pool of 5 would queue the sixth stream behind five open ones).
 */
public final class SseHistory implements AutoCloseable {

  private final WebClient client;

  public SseHistory(Vertx vertx, int port) {
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
      new PoolOptions().setHttp1MaxSize(256));
  }

  public static SseHistory of(Vertx vertx, EngineHarness engine) {
    return new SseHistory(vertx, engine.port());
  }

  /** Completes with every frame once the server ends the job's stream. */
  public Future<List<SseFrame>> toEnd(String jobId) {
    return client.get("/api/v1/scan/" + jobId + "/events").putHeader("Accept", "text/event-stream").send()
      .map(r -> {
        if (r.statusCode() != 200) {
          throw new AssertionError("events of " + jobId + " answered " + r.statusCode() + ": " + r.bodyAsString());
        }
        return parse(r.bodyAsString());
      });
  }

  /** Blocks the (test) thread until the job's stream ended. */
  public List<SseFrame> awaitEnd(String jobId) {
    return EngineHarness.await(toEnd(jobId));
  }

  static List<SseFrame> parse(String body) {
    List<SseFrame> frames = new ArrayList<>();
    if (body == null) {
      return frames;
    }
    for (String block : body.replace("\r\n", "\n").split("\n\n")) {
      if (!block.isBlank()) {
        frames.add(SseFrame.parse(block));
      }
    }
    return frames;
  }

  @Override
  public void close() {
    client.close();
  }
}
