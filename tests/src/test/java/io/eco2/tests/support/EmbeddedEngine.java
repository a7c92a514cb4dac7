package io.eco2.tests.support;

import io.eco2.engine.Engine;
import io.eco2.engine.config.ConfigLoader;
import io.eco2.engine.config.EngineOptions;
import io.eco2.testkit.Await;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An engine running in this JVM on a free port, configured like a user would: a configuration file (the
 * given overrides, written as YAML, validated by the real loader) on top of the built-in defaults. Tests talk
 * to it over HTTP ({@link #client()}, {@link #submitOk}) and SSE ({@link #sse()}); test threads may block on
 * it (never an event loop). Started by {@link EmbeddedEngineExtension}, which also closes it.
 */
public class EmbeddedEngine implements AutoCloseable {

  private final Engine engine;
  private final WebClient client;
  private final SseClient sse;
  private boolean closed;

  EmbeddedEngine(Vertx vertx, Engine engine) {
    this.engine = engine;
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(engine.port()));
    this.sse = new SseClient(vertx, engine.port());
  }

  /**
   * Starts an engine with {@code overrides} merged over the defaults ({@code http.port} is 0 unless given) on
   * {@code vertx}; the caller closes it. Tests get engines from {@link EmbeddedEngineExtension} instead,
   * unless they need a Vert.x instance of their own.
   */
  public static EmbeddedEngine start(Vertx vertx, JsonObject overrides) {
    return new EmbeddedEngine(vertx, startEngine(vertx, overrides));
  }

  static Engine startEngine(Vertx vertx, JsonObject overrides) {
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
    EngineOptions config = Await.result(ConfigLoader.create().setEnvironment(Map.of()).setConfigPath(path.toString()).loadOptions(vertx),
      "configuration " + path + " loaded");
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    return Await.result(Engine.start(vertx, config, registry), "engine started");
  }

  /** A pipeline of the given stages, with per-stage policy overrides ({@code {"probe": {"retries": 1}}}). */
  public static JsonObject pipeline(List<String> stages, JsonObject stageSections) {
    return new JsonObject()
      .put("pipeline", new JsonObject().put("stages", new JsonArray(stages)))
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

  /** This engine's SSE client (see there why every stream is opened through it). */
  public SseClient sse() {
    return sse;
  }

  /** {@code POST /api/v1/scan} with a JSON body. */
  public HttpResponse<Buffer> submit(JsonObject body) {
    return Await.result(client.post("/api/v1/scan").putHeader("Content-Type", "application/json").sendBuffer(body.toBuffer()),
      "submit answered");
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
    return Await.result(client.get(path).send(), "GET " + path + " answered");
  }

  /** Closes the clients, then the engine (not its Vert.x instance, which the caller owns); once. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    client.close();
    sse.close();
    Await.result(engine.close(), "engine closed");
  }
}
