package io.eco2.tests.load;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * What every virtual user of one run shares: the options, the HTTP client, the measurements, the image URLs
 * and the run's clock. Requests go through one client whose pool is sized to the users (each holds at most
 * one stream and one short request), so no user waits for a connection behind another user's stream.
 */
public final class LoadRun {

  /** An HTTP exchange's outcome: status, headers, body and how long it took. */
  public record Reply(int status, MultiMap headers, Buffer body, long nanos) {
  }

  /** Idle timeout of streams: the engine's keep-alive comes every 15 s, so 60 s of silence means dead. */
  static final long STREAM_IDLE_TIMEOUT_MS = 60_000;
  /** Idle timeout of short requests. */
  static final long REQUEST_IDLE_TIMEOUT_MS = 30_000;

  private final Vertx vertx;
  private final LoadOptions options;
  private final RunStats stats;
  private final List<String> imageUrls;
  private final List<String> stages;
  private final HttpClient client;
  private final long startNanos;
  private volatile boolean frozen;
  private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

  public LoadRun(Vertx vertx, LoadOptions options, List<String> imageUrls, List<String> stages, long startNanos) {
    this.vertx = vertx;
    this.options = options;
    this.imageUrls = List.copyOf(imageUrls);
    this.stages = List.copyOf(stages);
    this.startNanos = startNanos;
    this.stats = new RunStats(options.hardStop().toSeconds() + 1, startNanos);
    int connections = 2 * options.users() + 16;
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(10_000)
        .setMaxInitialLineLength(8192),
      new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(4 * connections));
  }

  public Vertx vertx() {
    return vertx;
  }

  public LoadOptions options() {
    return options;
  }

  public RunStats stats() {
    return stats;
  }

  public List<String> stages() {
    return stages;
  }

  /** Milliseconds since the run started. */
  public long elapsedMillis() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** After the hard stop nothing more is recorded: late callbacks of cut iterations are ignored. */
  public boolean frozen() {
    return frozen;
  }

  void freeze() {
    frozen = true;
  }

  /** Iterations started and not finished: the run may end early once this is 0 after the ramp-down. */
  public int inFlight() {
    return inFlight.get();
  }

  void iterationStarted() {
    inFlight.incrementAndGet();
  }

  void iterationEnded() {
    inFlight.decrementAndGet();
  }

  /** A random image URL from the list. */
  public String randomImage() {
    return imageUrls.get(ThreadLocalRandom.current().nextInt(imageUrls.size()));
  }

  /** A think time drawn uniformly from the configured range, ms. */
  public long thinkMillis() {
    long min = options.thinkMin().toMillis();
    long max = options.thinkMax().toMillis();
    return max <= min ? min : ThreadLocalRandom.current().nextLong(min, max + 1);
  }

  /** Sends a request and reads the whole body. */
  public Future<Reply> send(HttpMethod method, String path, Buffer body, MultiMap headers) {
    long begin = System.nanoTime();
    RequestOptions ro = new RequestOptions().setMethod(method).setHost(options.url().getHost())
      .setPort(options.port()).setURI(path).setIdleTimeout(REQUEST_IDLE_TIMEOUT_MS);
    if (headers != null) {
      headers.forEach(ro::putHeader);
    }
    return client.request(ro)
      .compose(req -> body == null ? req.send() : req.send(body))
      .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.headers(), b, System.nanoTime() - begin)));
  }

  /** Opens an SSE stream on {@code path}. */
  public Future<SseStream> stream(String path, Consumer<SseFrame> onFrame) {
    return SseStream.open(client, options.url().getHost(), options.port(), path, STREAM_IDLE_TIMEOUT_MS, onFrame);
  }

  /** Closes the client: every connection still open is cut. */
  public Future<Void> close() {
    return client.close();
  }
}
