package io.eco2.engine.http.impl;

import io.eco2.engine.http.FrontDoor;
import io.eco2.engine.http.HttpOptions;
import io.eco2.engine.http.HttpServerVerticle;
import io.eco2.engine.http.ListenPort;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * The engine's own HTTP servers, unless the application turned them off: {@code http.instances} API servers
 * on {@code http.port} (0 picks a free port) behind one {@link FrontDoor}, and with
 * {@code http.management-port} a server of its own for the operations routes; the routes are
 * {@link EngineRoutes}'. {@link #port()} and {@link #managementPort()} say where they listen (-1 where
 * nothing does). Internal to the engine.
 */
public final class ApiServers {

  private final Vertx vertx;
  private final boolean enabled;
  private final HttpOptions http;
  private final MeterRegistry registry;
  private final EngineRoutes routes;
  private final List<String> httpDeployments = new ArrayList<>();
  private List<HttpServerVerticle> httpServers = List.of();
  private FrontDoor frontDoor;
  private HttpServerVerticle managementServer;

  /**
   * @param enabled false when the application serves the routes itself ({@code Components#setHttpServer}):
   *     then {@link #start()} deploys nothing
   * @param registry where the front door's meters go
   */
  public ApiServers(Vertx vertx, boolean enabled, HttpOptions http, MeterRegistry registry, EngineRoutes routes) {
    this.vertx = vertx;
    this.enabled = enabled;
    this.http = http;
    this.registry = registry;
    this.routes = routes;
  }

  /** Deploys the API servers on the resolved port, then the management server (when configured). */
  public Future<Void> start() {
    if (!enabled) {
      return Future.succeededFuture();
    }
    frontDoor = new FrontDoor(http.getFrontDoor(), registry);
    HttpServerOptions server = new HttpServerOptions()
      .setHost(http.getHost())
      .setPort(http.getPort())
      .setCompressionSupported(false);
    int instances = http.effectiveInstances();
    return ListenPort.resolve(vertx, server.getPort())
      .compose(p -> deployHttp(new HttpServerOptions(server).setPort(p), instances))
      .compose(v -> startManagement(server, http.getManagementPort())).mapEmpty();
  }

  // http.management-port: the operations routes move to a server of their own (one instance: probes and
  // scrapes are light), so the API port can be exposed without them.
  private Future<Void> startManagement(HttpServerOptions api, int port) {
    if (port < 0) {
      return Future.succeededFuture();
    }
    HttpServerVerticle server = new HttpServerVerticle(routes::managementRouter, new HttpServerOptions(api).setPort(port), frontDoor);
    return vertx.deployVerticle(server).map(id -> {
      httpDeployments.add(id);
      managementServer = server;
      return null;
    });
  }

  private Future<List<HttpServerVerticle>> deployHttp(HttpServerOptions options, int instances) {
    List<HttpServerVerticle> servers = new ArrayList<>();
    return vertx.deployVerticle(() -> {
      HttpServerVerticle v = new HttpServerVerticle(routes::apiRouter, options, frontDoor);
      synchronized (servers) {
        servers.add(v);
      }
      return v;
    }, new DeploymentOptions().setInstances(instances))
      .map(id -> {
        httpDeployments.add(id);
        List<HttpServerVerticle> all = new ArrayList<>(httpServers);
        all.addAll(servers);
        httpServers = List.copyOf(all);
        return List.copyOf(servers);
      });
  }

  /** The port the API servers listen on (-1 before they started). */
  public int port() {
    return httpServers.isEmpty() ? -1 : httpServers.get(0).actualPort();
  }

  /** The port of the operations routes: the management server's, else {@link #port()}. */
  public int managementPort() {
    return managementServer == null ? port() : managementServer.actualPort();
  }

  /** After {@code previous}: undeploys the servers deployed by now, one after the other, failures ignored. */
  public Future<Void> close(Future<Void> previous) {
    Future<Void> f = previous;
    for (String id : httpDeployments) {
      f = f.compose(v -> vertx.undeploy(id).recover(err -> Future.succeededFuture()));
    }
    return f;
  }
}
