package io.eco2.engine.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

import java.util.function.Supplier;

/**
 * One instance of the engine's HTTP server. Deployed several times, its instances share the port and Vert.x
 * spreads connections over their event loops, so SSE writes and submits use every core rather than one.
 * Each instance routes with a router of its own.
 */
public final class HttpServerVerticle extends VerticleBase {

  private final Supplier<Router> routers;
  private final HttpServerOptions options;
  private final FrontDoor frontDoor;
  private volatile HttpServer server;

  /** @param frontDoor the process's connection guard, shared by every instance */
  public HttpServerVerticle(Supplier<Router> routers, HttpServerOptions options, FrontDoor frontDoor) {
    this.routers = routers;
    this.options = frontDoor.configure(new HttpServerOptions(options));
    this.frontDoor = frontDoor;
  }

  @Override
  public Future<?> start() {
    return frontDoor.install(vertx.createHttpServer(options), options).requestHandler(routers.get()).listen()
      .onSuccess(s -> server = s)
      .recover(err -> Future.failedFuture(new IllegalStateException("http.port: cannot listen on "
        + options.getHost() + ":" + options.getPort() + ": " + err.getMessage(), err)));
  }

  /** The port this instance listens on, or -1 before it started. */
  public int actualPort() {
    HttpServer s = server;
    return s == null ? -1 : s.actualPort();
  }
}
