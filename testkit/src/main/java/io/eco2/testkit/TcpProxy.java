package io.eco2.testkit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP relay in front of a real service (Redis, RabbitMQ) that a test can disturb for one process
 * only, without touching the service other tests share: {@link #stall()} holds back what the service sends
 * (a broker's confirms stay pending), {@link #cut()} closes every relayed connection as a network failure
 * would, {@link #down()} also refuses new ones until {@link #up()}. Not a mock: the conversation is the
 * service's own.
 */
public final class TcpProxy implements AutoCloseable {

  private final NetServer server;
  private final NetClient client;
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private final Set<NetSocket> fromService = ConcurrentHashMap.newKeySet();
  private volatile boolean down;
  private volatile boolean stalled;

  private TcpProxy(Vertx vertx, String targetHost, int targetPort) {
    this.client = vertx.createNetClient();
    this.server = vertx.createNetServer().connectHandler(in -> {
      if (down) {
        in.close();
        return;
      }
      in.pause();
      client.connect(targetPort, targetHost).onComplete(ar -> {
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
        fromService.add(out);
        in.handler(out::write);
        out.handler(in::write);
        in.closeHandler(v -> close(out));
        out.closeHandler(v -> close(in));
        if (stalled) {
          out.pause();
        }
        in.resume();
      });
    });
  }

  /** A relay to {@code targetHost:targetPort} listening on a free loopback port. */
  public static TcpProxy start(Vertx vertx, String targetHost, int targetPort) {
    TcpProxy p = new TcpProxy(vertx, targetHost, targetPort);
    Await.result(p.server.listen(0, "127.0.0.1"), "TCP proxy to " + targetHost + ":" + targetPort + " listening");
    return p;
  }

  /** A relay to {@code 127.0.0.1:targetPort}. */
  public static TcpProxy start(Vertx vertx, int targetPort) {
    return start(vertx, "127.0.0.1", targetPort);
  }

  public int port() {
    return server.actualPort();
  }

  /** Holds back what the service sends (on every connection, current and new) until {@link #resume()}. */
  public void stall() {
    stalled = true;
    fromService.forEach(NetSocket::pause);
  }

  public void resume() {
    stalled = false;
    fromService.forEach(NetSocket::resume);
  }

  /** Closes every relayed connection; new connections are still accepted. */
  public void cut() {
    for (NetSocket s : open) {
      close(s);
    }
  }

  /** Closes every relayed connection and refuses new ones until {@link #up()}. */
  public void down() {
    down = true;
    cut();
  }

  public void up() {
    down = false;
  }

  private void close(NetSocket s) {
    open.remove(s);
    fromService.remove(s);
    s.close();
  }

  @Override
  public void close() {
    down();
    Await.result(Future.all(server.close(), client.close()), "TCP proxy closed");
  }
}
