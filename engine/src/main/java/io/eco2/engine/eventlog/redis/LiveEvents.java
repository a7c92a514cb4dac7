package io.eco2.engine.eventlog.redis;

import io.eco2.engine.eventlog.EventId;
import io.eco2.engine.eventlog.EventSubscription;
import io.eco2.engine.job.ProgressEvent;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Live events of every job this process watches, from ONE dedicated Redis connection subscribed to the
 * prefix's notification channel.
 *
 * <p>Promises: subscribing and cancelling cost no Redis command (a map update); each job's handlers see
 * its events in id order and never the same id twice. When the connection is lost it is re-established with
 * exponential backoff; once the channel is subscribed again, every watched job is caught up from its
 * stream (XRANGE after the last id delivered, or from the start when none was delivered yet) before live
 * events of that job are passed on, so events logged during the outage are delivered late but not lost.
 * {@link #isUp()} tells whether the connection is subscribed right now.
 */
final class LiveEvents {

  private static final System.Logger LOG = System.getLogger(LiveEvents.class.getName());
  private static final long SUBSCRIBE_TIMEOUT_MS = 5000;

  private final Vertx vertx;
  private final Redis client;
  private final String channel;
  private final long initialDelayMs;
  private final long maxDelayMs;
  private final BiFunction<String, EventId, Future<List<ProgressEvent>>> history;
  private final Map<String, JobWatch> watches = new ConcurrentHashMap<>();

  // Guarded by this: the up flag and marking watches for catch-up must not interleave with subscribe().
  private boolean up;
  private boolean closed;
  private RedisConnection connection;
  private Promise<Void> subscribed;
  private long delayMs;
  private long timer = -1;

  /**
   * @param client a client used for this connection only (its pool of one is not the command pool)
   * @param history reads a job's events after an id, for catching up after a reconnect
   */
  LiveEvents(Vertx vertx, Redis client, String channel, Duration initialDelay, Duration maxDelay,
             BiFunction<String, EventId, Future<List<ProgressEvent>>> history) {
    this.vertx = vertx;
    this.client = client;
    this.channel = channel;
    this.initialDelayMs = initialDelay.toMillis();
    this.maxDelayMs = maxDelay.toMillis();
    this.delayMs = initialDelayMs;
    this.history = history;
  }

  /** Connects and subscribes once; fails when that first attempt fails (later losses are retried). */
  Future<Void> start() {
    return connect();
  }

  synchronized boolean isUp() {
    return up;
  }

  EventSubscription subscribe(String jobId, Handler<ProgressEvent> handler) {
    synchronized (this) {
      // Inside compute, so a concurrent cancel cannot drop the watch this handler is being added to.
      watches.compute(jobId, (k, w) -> {
        JobWatch watch = w == null ? new JobWatch(k) : w;
        // Events logged while the connection is down reach this watch only through catch-up.
        watch.add(handler, !up);
        return watch;
      });
    }
    return () -> watches.computeIfPresent(jobId, (k, w) -> w.remove(handler) ? null : w);
  }

  Future<Void> close() {
    RedisConnection c;
    synchronized (this) {
      closed = true;
      up = false;
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
      c = connection;
      connection = null;
    }
    // The client is its owner's (RedisClients) to close: only this connection is ours.
    return c == null ? Future.succeededFuture() : c.close().otherwiseEmpty();
  }

  /**
   * One attempt: connect, SUBSCRIBE, wait for the server's confirmation. A failed attempt is the caller's
   * to retry; a connection lost after its confirmation is retried by {@link #lost}.
   */
  private Future<Void> connect() {
    Promise<Void> confirmed = Promise.promise();
    return client.connect().compose(conn -> {
      synchronized (this) {
        if (closed) {
          return conn.close().compose(v -> Future.failedFuture("closed"));
        }
        connection = conn;
        subscribed = confirmed;
      }
      conn.handler(msg -> onMessage(conn, msg));
      conn.exceptionHandler(err -> lost(conn, err));
      conn.endHandler(v -> lost(conn, null));
      long t = vertx.setTimer(SUBSCRIBE_TIMEOUT_MS, id -> confirmed.tryFail("no SUBSCRIBE confirmation"));
      // SUBSCRIBE completes when written; the server's confirmation arrives as a message (onMessage).
      return conn.send(Request.cmd(Command.SUBSCRIBE).arg(channel))
        .compose(v -> confirmed.future())
        .andThen(ar -> vertx.cancelTimer(t))
        .onFailure(err -> {
          synchronized (this) {
            if (connection == conn) {
              connection = null;
            }
          }
          conn.close();
        });
    });
  }

  /** The channel is subscribed on {@code conn}: from here on live events flow; catch up what was missed. */
  private void online(RedisConnection conn) {
    List<JobWatch> behind = new ArrayList<>();
    Promise<Void> p;
    synchronized (this) {
      if (conn != connection || up) {
        return;
      }
      up = true;
      delayMs = initialDelayMs;
      p = subscribed;
      for (JobWatch w : watches.values()) {
        if (w.isBehind()) {
          behind.add(w);
        }
      }
    }
    p.tryComplete();
    LOG.log(Level.INFO, "live events subscribed to {0}; catching up {1} job(s)", channel, behind.size());
    behind.forEach(this::catchUp);
  }

  private void lost(RedisConnection conn, Throwable err) {
    boolean wasUp;
    synchronized (this) {
      if (conn != connection || closed) {
        return;
      }
      connection = null;
      wasUp = up;
      up = false;
      if (subscribed != null) {
        subscribed.tryFail(err != null ? err : new IllegalStateException("connection closed"));
      }
      for (JobWatch w : watches.values()) {
        w.connectionLost();
      }
    }
    LOG.log(Level.WARNING, "live-event connection lost ({0}); reconnecting", err == null ? "closed" : err.toString());
    // Before the confirmation the pending connect() fails and its caller retries: only one retry loop.
    if (wasUp) {
      scheduleReconnect();
    }
  }

  private synchronized void scheduleReconnect() {
    if (closed) {
      return;
    }
    long delay = delayMs;
    delayMs = Math.min(maxDelayMs, delayMs * 2);
    timer = vertx.setTimer(delay, id -> {
      synchronized (this) {
        timer = -1;
      }
      connect().onFailure(err -> {
        LOG.log(Level.WARNING, "live-event reconnect failed: {0}", err.toString());
        scheduleReconnect();
      });
    });
  }

  private void onMessage(RedisConnection conn, Response msg) {
    if (msg == null || msg.size() < 3) {
      return;
    }
    String kind = msg.get(0).toString();
    if ("subscribe".equalsIgnoreCase(kind)) {
      online(conn);
      return;
    }
    if (!"message".equalsIgnoreCase(kind)) {
      return;
    }
    ProgressEvent event;
    try {
      event = EventCodec.fromJson(new JsonObject(msg.get(2).toString()));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "unreadable notification on {0}: {1}", channel, e.toString());
      return;
    }
    JobWatch w = watches.get(event.jobId());
    if (w != null) {
      w.deliver(event);
    }
  }

  private void catchUp(JobWatch w) {
    JobWatch.Resume from;
    synchronized (this) {
      // Only while up: a catch-up that ended while down would leave the gap up to the re-subscription.
      if (!up || closed || watches.get(w.jobId) != w) {
        return;
      }
      from = w.resume();
    }
    history.apply(w.jobId, from.after()).onComplete(ar -> {
      if (ar.succeeded()) {
        w.caughtUp(ar.result(), from);
      } else {
        // Releasing the held live events now would skip the gap for good: try again later instead.
        LOG.log(Level.WARNING, "catch-up of job {0} failed ({1}); retrying", w.jobId, ar.cause().toString());
        vertx.setTimer(maxDelayMs, id -> catchUp(w));
      }
    });
  }
}
