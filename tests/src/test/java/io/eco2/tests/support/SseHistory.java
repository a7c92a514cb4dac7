package io.eco2.tests.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.List;

/**
 * The former whole-stream reader, now {@link SseClient#follow} and {@link SseClient#toEnd}; kept only while
 * tests move to {@link EmbeddedEngine#sse()}.
 *
 * @deprecated use {@code engine.sse().follow(jobId)} or {@code engine.sse().toEnd(jobId)}
 */
@Deprecated(forRemoval = true)
public final class SseHistory implements AutoCloseable {

  private final SseClient client;

  public SseHistory(Vertx vertx, int port) {
    this.client = new SseClient(vertx, port);
  }

  public static SseHistory of(Vertx vertx, EmbeddedEngine engine) {
    return new SseHistory(vertx, engine.port());
  }

  public Future<List<SseFrame>> toEnd(String jobId) {
    return client.follow(jobId);
  }

  public List<SseFrame> awaitEnd(String jobId) {
    return client.toEnd(jobId);
  }

  @Override
  public void close() {
    client.close();
  }
}
