package com.example.embedded;

import io.eco2.engine.Engine;
import io.eco2.engine.api.JsonSurface;
import io.eco2.engine.config.ConfigLoader;
import io.eco2.engine.plugin.Components;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

/**
 * A Vert.x application of its own that runs the engine as a library: the pipeline's stage is given in
 * code ({@link GreetingStage}), jobs are plain JSON under {@code /api/v1/greetings} ({@link JsonSurface}),
 * and the engine's routes are mounted on the application's router next to its own {@code /hello}; the
 * application's HTTP server serves both. No class path scanning, no plugins directory.
 *
 * <p>{@code java -cp embedded-app.jar:<engine and its dependencies> com.example.embedded.GreetingApp [port]}.
 */
public final class GreetingApp {

  public static final String BASE_PATH = "/api/v1/greetings";

  private final Engine engine;
  private final HttpServer server;

  private GreetingApp(Engine engine, HttpServer server) {
    this.engine = engine;
    this.server = server;
  }

  /** Starts the engine and the application's server on {@code port} (0: any free port). */
  public static Future<GreetingApp> start(Vertx vertx, int port) {
    ConfigLoader config = ConfigLoader.create()
      // The application decides its pipeline; everything else keeps the engine's defaults.
      .setOverride("pipeline.stages", "greet")
      .setOverride("llm.provider", "none");
    Components components = new Components()
      .setDiscoverClassPath(false)
      .addStage(new GreetingStage())
      .addSurface(new JsonSurface(BASE_PATH))
      .setHttpServer(false);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    return config.load(vertx)
      .compose(conf -> Engine.start(vertx, conf, registry, components))
      .compose(engine -> {
        Router router = Router.router(vertx);
        router.get("/hello").handler(ctx -> ctx.response().putHeader("Content-Type", "text/plain").end("hello from the application"));
        engine.mountRoutes(router);
        return vertx.createHttpServer().requestHandler(router).listen(port)
          .map(server -> new GreetingApp(engine, server))
          .onFailure(err -> engine.close());
      });
  }

  public int port() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server.close().compose(v -> engine.close());
  }

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8081;
    start(vertx, port)
      .onSuccess(app -> System.out.println("greeting app on http://localhost:" + app.port() + BASE_PATH))
      .onFailure(err -> {
        System.err.println("greeting app: " + err.getMessage());
        vertx.close();
      });
  }
}
