package io.eco2.engine.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The port the HTTP server instances of a process listen on. Vert.x shares one listening socket between
 * instances only when they bind the same explicit port; with {@code 0} (tests) each would get a port of
 * its own, so {@code 0} is first resolved to one free port, probed with a {@link java.net.ServerSocket} on
 * a worker thread (it blocks), never on an event loop.
 */
public final class ListenPort {

  private ListenPort() {
  }

  /** {@code port} itself, or for {@code 0} a port that was free just now. */
  public static Future<Integer> resolve(Vertx vertx, int port) {
    if (port != 0) {
      return Future.succeededFuture(port);
    }
    return vertx.executeBlocking(() -> {
      try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
        return probe.getLocalPort();
      }
    });
  }
}
