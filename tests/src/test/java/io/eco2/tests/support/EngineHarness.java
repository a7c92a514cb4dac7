package io.eco2.tests.support;

import io.eco2.engine.Engine;
import io.eco2.engine.config.ConfigLoader;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * An engine running in this JVM on a free port, configured like a user would: a configuration file (the
 * given overrides, written as YAML, validated by the real loader) on top of the built-in defaults. Talks to
 * it only over HTTP. Test threads may block on it (never an event loop).
 */
public final class EngineHarness implements AutoCloseable {

  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final Engine engine;
  private final WebClient client;
  private final HttpClient http;
  private final io.vertx.core.Context streamContext;

  private EngineHarness(Vertx vertx, Engine engine) {
    this.vertx = vertx;
    this.engine = engine;
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(engine.port()));
    // Tests hold many streams open at once; the default pool (5) would queue the sixth behind them.
    this.streamContext = vertx.getOrCreateContext();
    this.http = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions(), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(512));
  }

  /**
   * Starts an engine with {@code overrides} merged over the defaults ({@code http.port} is 0 unless given).
   */
  public static EngineHarness start(Vertx vertx, JsonObject overrides) {
    JsonObject file = new JsonObject().put("http", new JsonObject().put("port", 0)).mergeIn(overrides, true);
    Path path;
    try {
      path = Files.createTempFile("eco2-test-", ".yaml");
      // JSON is YAML: the loader validates the file exactly as it would a user's.
      Files.writeString(path, file.encodePrettily());
      path.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JsonObject config = await(ConfigLoader.create().setEnvironment(Map.of()).setConfigPath(path.toString()).load(vertx));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    return new EngineHarness(vertx, await(Engine.start(vertx, config, registry)));
  }

  /** A pipeline of the given stages, with per-stage policy overrides ({@code {"probe": {"retries": 1}}}). */
  public static JsonObject pipeline(List<String> stages, JsonObject stageSections) {
    return new JsonObject()
      .put("pipeline", new JsonObject().put("stages", new io.vertx.core.json.JsonArray(stages)))
      .put("stages", stageSections == null ? new JsonObject() : stageSections);
  }

  public Engine engine() {
    return engine;
  }

  public int port() {
    return engine.port();
  }

  public WebClient client() {
    return client;
  }

  /** {@code POST /api/v1/scan} with a JSON body. */
  public HttpResponse<Buffer> submit(JsonObject body) {
    return await(client.post("/api/v1/scan").putHeader("Content-Type", "application/json").sendBuffer(body.toBuffer()));
  }

  /** Submits and returns the job id, failing the test unless the engine answered 200. */
  public String submitOk(JsonObject body) {
    HttpResponse<Buffer> r = submit(body);
    if (r.statusCode() != 200) {
      throw new AssertionError("submit answered " + r.statusCode() + ": " + r.bodyAsString());
    }
    return r.bodyAsJsonObject().getString("job_id");
  }

  public HttpResponse<Buffer> get(String path) {
    return await(client.get(path).send());
  }

  /**
   * Opens a job's SSE stream with optional extra headers and query. Streams are opened from one context so
   * that the recorder's handlers are in place before any of the body is handled (see {@link SseClient}).
   */
  public SseRecording stream(String jobId, String query, MultiMap headers) {
    String path = "/api/v1/scan/" + jobId + "/events" + (query == null ? "" : "?" + query);
    io.vertx.core.Promise<SseRecording> opened = io.vertx.core.Promise.promise();
    streamContext.runOnContext(v -> SseRecording.open(http, port(), path, headers).onComplete(opened));
    return await(opened.future());
  }

  /** Follows a job's stream to its end and returns every frame. */
  public List<SseFrame> streamToEnd(String jobId) {
    return await(stream(jobId, null, null).ended());
  }

  /** Waits (polling, on the test thread) until the condition holds. */
  public static void eventually(BooleanSupplier condition) {
    long deadline = System.currentTimeMillis() + TIMEOUT.toMillis();
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("condition not met within " + TIMEOUT.toSeconds() + " s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new AssertionError(e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    client.close();
    await(http.close());
    await(engine.close());
  }
}
