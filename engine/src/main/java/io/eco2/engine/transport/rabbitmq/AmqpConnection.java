package io.eco2.engine.transport.rabbitmq;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The AMQP connection and the loop that re-establishes it.
 *
 * <p>The client's automatic recovery is off: it would re-open channels and consumers behind our back, with
 * delivery tags we could not tell from the old ones, and without failing the confirms that died with the
 * old channel. Instead, when the broker or the network ends the connection, this class reconnects with
 * exponential backoff and jitter, forever, and runs every {@link Listener} on the new connection (declare the
 * topology, re-open the publisher, re-open each consumer); if one of them fails the attempt counts as failed
 * and the connection is dropped and tried again. Connecting and recovery run on one dedicated thread.
 *
 * <p>A process has one: its owner creates it (nothing connects until {@link RabbitMqTransport#start()}),
 * hands it to the transport, and closes it after the transport has closed.
 */
public final class AmqpConnection {

  private static final System.Logger LOG = System.getLogger(AmqpConnection.class.getName());

  /** Brings a fresh connection to a usable state. */
  @FunctionalInterface
  interface Listener {
    /** Runs on the connection thread (may block); throwing fails this connection attempt. */
    void connected(Connection connection) throws Exception;
  }

  private final RabbitMqOptions options;
  private final ConnectionFactory factory = new ConnectionFactory();
  private final Backoff backoff;
  private final ScheduledExecutorService thread;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private volatile Connection current;
  private volatile boolean closing;

  /** A connection to {@code options.url()} named {@code options.connectionName()}; not connected yet. */
  public AmqpConnection(RabbitMqOptions options) {
    this.options = options;
    this.backoff = new Backoff(options.reconnectInitial(), options.reconnectMax());
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "eco2-amqp-connection");
      t.setDaemon(true);
      return t;
    });
    factory.setAutomaticRecoveryEnabled(false);
    factory.setTopologyRecoveryEnabled(false);
    factory.setRequestedHeartbeat((int) Math.max(1, options.heartbeat().toSeconds()));
    factory.setConnectionTimeout((int) options.connectTimeout().toMillis());
    factory.setHandshakeTimeout((int) options.connectTimeout().toMillis());
    // Closing must not wait for the client's consumer threads: our deliveries are already handed off.
    factory.setShutdownTimeout(0);
  }

  void addListener(Listener listener) {
    listeners.add(listener);
  }

  /** {@code host:port} of the broker, for messages. */
  String where() {
    return factory.getHost() + ":" + factory.getPort();
  }

  /** The open connection, or null while it is down. */
  Connection current() {
    Connection c = current;
    return c != null && c.isOpen() ? c : null;
  }

  /**
   * Connects once. Fails fast (a wrong URL or credentials should stop start-up, not loop); once connected,
   * every later loss is repaired by the reconnect loop.
   */
  Future<Void> start(Context context) {
    Promise<Void> promise = Promise.promise();
    thread.execute(() -> {
      try {
        factory.setUri(options.url());
      } catch (Exception e) {
        context.runOnContext(x -> promise.fail(
          new IllegalArgumentException("rabbitmq.url: not a valid AMQP URL (" + e.getMessage() + ")")));
        return;
      }
      try {
        connectOnce();
        LOG.log(System.Logger.Level.INFO, "connected to RabbitMQ as " + options.connectionName());
        context.runOnContext(x -> promise.complete());
      } catch (Exception e) {
        String line = AmqpErrors.describe(factory, options.queuePrefix(), e);
        context.runOnContext(x -> promise.fail(new IllegalStateException(line, e)));
      }
    });
    return promise.future();
  }

  private void connectOnce() throws Exception {
    Connection c = factory.newConnection(options.connectionName());
    try {
      for (Listener l : listeners) {
        l.connected(c);
      }
    } catch (Exception e) {
      abort(c);
      throw e;
    }
    c.addBlockedListener(
      reason -> LOG.log(System.Logger.Level.WARNING, "RabbitMQ blocks publishing: " + reason),
      () -> LOG.log(System.Logger.Level.INFO, "RabbitMQ unblocked publishing"));
    current = c;
    backoff.reset();
    // Added last: if the connection already died, the listener fires at once and the loop takes over.
    c.addShutdownListener(cause -> lost(c, cause));
  }

  // Called on the client's I/O thread: never block here, hand over to our thread.
  private void lost(Connection c, ShutdownSignalException cause) {
    if (closing || c != current) {
      return;
    }
    current = null;
    LOG.log(System.Logger.Level.WARNING, "RabbitMQ connection lost: " + cause.getMessage() + "; reconnecting");
    scheduleReconnect();
  }

  private void scheduleReconnect() {
    long delay = backoff.next();
    try {
      thread.schedule(this::reconnect, delay, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      // close() ran meanwhile.
    }
  }

  private void reconnect() {
    if (closing) {
      return;
    }
    try {
      connectOnce();
      LOG.log(System.Logger.Level.INFO, "reconnected to RabbitMQ as " + options.connectionName());
    } catch (Exception e) {
      LOG.log(System.Logger.Level.WARNING, "RabbitMQ reconnect failed: " + AmqpErrors.describe(factory, options.queuePrefix(), e));
      scheduleReconnect();
    }
  }

  /** Ends the loop and closes the connection (closing it also closes every channel on it). */
  public Future<Void> close(Context context) {
    closing = true;
    Promise<Void> promise = Promise.promise();
    try {
      thread.execute(() -> {
        Connection c = current;
        current = null;
        if (c != null && c.isOpen()) {
          try {
            c.close(5000);
          } catch (Exception e) {
            abort(c);
          }
        }
        context.runOnContext(v -> promise.complete());
      });
    } catch (RejectedExecutionException e) {
      return Future.succeededFuture();
    }
    thread.shutdown();
    return promise.future();
  }

  private static void abort(Connection c) {
    try {
      c.abort(1000);
    } catch (RuntimeException ignored) {
      // Best effort: the connection is being thrown away.
    }
  }
}
