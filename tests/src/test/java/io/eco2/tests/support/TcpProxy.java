package io.eco2.tests.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy in front of a real service, which a test can take down (every connection closed,
 * new ones closed as soon as they are accepted) and bring back: a backing service that is briefly
 * unreachable for one process only, without touching the service the other tests share.
 */
public final class TcpProxy implements AutoCloseable {

  private final NetServer server;
  private final NetClient client;
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean down;

  private TcpProxy(Vertx vertx, int targetPort) {
    this.client = vertx.createNetClient();
    this.server = vertx.createNetServer().connectHandler(in -> {
      if (down) {
        in.close();
        return;
      }
      in.pause();
      client.connect(targetPort, "127.0.0.1").onComplete(ar -> {
        if (ar.failed() || down) {
          in.close();
          if (ar.succeeded()) {
            ar.result().close();
          }
          return;
        }
        NetSocket out = ar.result();
        open.add(in);
        open.add(out);
        in.handler(out::write);
        out.handler(in::write);
        in.closeHandler(v -> close(out));
        out.closeHandler(v -> close(in));
        in.resume();
      });
    });
  }

  private void close(NetSocket s) {
    open.remove(s);
    s.close();
  }

  /** A proxy to {@code 127.0.0.1:targetPort} on a free port. */
  public static TcpProxy start(Vertx vertx, int targetPort) {
    TcpProxy p = new TcpProxy(vertx, targetPort);
    EngineHarness.await(p.server.listen(0, "127.0.0.1"));
    return p;
  }

  public int port() {
    return server.actualPort();
  }

  /** Closes every connection through the proxy and refuses new ones until {@link #up()}. */
  public void down() {
    down = true;
    for (NetSocket s : open) {
      close(s);
    }
  }

  public void up() {
    down = false;
  }

  @Override
  public void close() {
    down();
    EngineHarness.await(Future.all(server.close(), client.close()));
  }
}
