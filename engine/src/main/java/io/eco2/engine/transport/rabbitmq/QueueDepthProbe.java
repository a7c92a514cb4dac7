package io.eco2.engine.transport.rabbitmq;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.vertx.core.Context;
import io.vertx.core.Future;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads how many messages are ready in a queue (a passive {@code queue.declare}), cached for a short while
 * so that a burst of submissions costs one round trip per queue and interval, not one per submission.
 *
 * <p>Admission needs more than a cached count: between two reads this process keeps publishing. So each
 * sample remembers how many of this process's publishes to the queue had been confirmed when it was taken,
 * and {@link #estimate} adds every publish accepted since (confirmed or not). Other processes' publishes are
 * only seen at the next read: the bound holds exactly within one process and approximately (to within one
 * cache interval of their traffic) across API instances. Deliveries taken meanwhile are not subtracted, so
 * the estimate errs on the full side.
 *
 * <p>The passive declares run on a channel of their own: a declare of a missing queue closes its channel
 * (404), and that must not take the publisher or a consumer with it.
 */
final class QueueDepthProbe {

  private final AmqpConnection connection;
  private final AmqpThread thread = new AmqpThread("eco2-amqp-probe");
  private final long ttlMs;
  private final Map<String, Sample> samples = new ConcurrentHashMap<>();
  private final Map<String, Sample> totals = new ConcurrentHashMap<>();
  private final Map<String, Future<Sample>> reading = new HashMap<>();
  private final Map<String, Counters> counters = new ConcurrentHashMap<>();
  private Channel channel; // confined to the probe thread

  QueueDepthProbe(AmqpConnection connection, long ttlMs) {
    this.connection = connection;
    this.ttlMs = ttlMs;
  }

  /** Ready messages in {@code queue} as of at most the cache interval ago. */
  Future<Long> ready(String queue, Context context) {
    return sample(queue, context).map(s -> s.ready);
  }

  /** Ready messages plus this process's publishes the last read may not have seen. */
  Future<Long> estimate(String queue, Context context) {
    return sample(queue, context).map(s -> s.ready + counters(queue).acceptedSince(s.confirmedBase));
  }

  /**
   * Counts a publish to {@code queue} when {@code estimate} (taken just before) is below {@code limit}; the
   * check and the count are one step, so concurrent admissions in this process cannot both take the last place.
   */
  boolean tryAccept(String queue, long readyAtSample, long confirmedBase, long limit) {
    Counters c = counters(queue);
    synchronized (c) {
      if (readyAtSample + c.acceptedSince(confirmedBase) >= limit) {
        return false;
      }
      c.accepted++;
      c.unconfirmed++;
      return true;
    }
  }

  /** The current sample, for {@link #tryAccept}. */
  Future<Sample> sample(String queue, Context context) {
    Sample s = samples.get(queue);
    if (s != null && System.currentTimeMillis() - s.at < ttlMs) {
      return Future.succeededFuture(s);
    }
    synchronized (reading) {
      Future<Sample> f = reading.get(queue);
      if (f == null) {
        f = read(queue, context);
        reading.put(queue, f);
        Future<Sample> mine = f;
        f.onComplete(ar -> {
          synchronized (reading) {
            reading.remove(queue, mine);
          }
        });
      }
      return f;
    }
  }

  private Future<Sample> read(String queue, Context context) {
    return thread.call(context, () -> {
      long base = counters(queue).confirmedSoFar();
      long ready;
      try {
        ready = channel().messageCount(queue);
      } catch (IOException e) {
        // The client's IOException has no message; the broker's reason (404 NOT_FOUND, ...) is in its cause.
        String why = e.getCause() != null ? e.getCause().getMessage() : String.valueOf(e.getMessage());
        throw new IOException("cannot read the depth of queue " + queue + ": " + why, e);
      }
      Sample s = new Sample(ready, base, System.currentTimeMillis());
      samples.put(queue, s);
      return s;
    });
  }

  /**
   * Ready messages summed over {@code queues} (a stage's delay queues: many, and what they hold changes at the
   * pace of backoffs), read in one task on the probe thread and cached for at least {@code minTtlMs}, so that
   * they cost one task per interval and never queue an admission's read behind one declare each.
   */
  Future<Long> readyTotal(String key, java.util.List<String> queues, long minTtlMs, Context context) {
    Sample s = totals.get(key);
    if (s != null && System.currentTimeMillis() - s.at < Math.max(ttlMs, minTtlMs)) {
      return Future.succeededFuture(s.ready);
    }
    return thread.call(context, () -> {
      long total = 0;
      for (String q : queues) {
        try {
          total += channel().messageCount(q);
        } catch (IOException e) {
          String why = e.getCause() != null ? e.getCause().getMessage() : String.valueOf(e.getMessage());
          throw new IOException("cannot read the depth of queue " + q + ": " + why, e);
        }
      }
      totals.put(key, new Sample(total, 0, System.currentTimeMillis()));
      return total;
    });
  }

  /** Counts a publish accepted without an admission check (hand-offs, retries). */
  void accepted(String queue) {
    Counters c = counters(queue);
    synchronized (c) {
      c.accepted++;
      c.unconfirmed++;
    }
  }

  /** A publish counted by {@link #accepted} or {@link #tryAccept} ended. */
  void settled(String queue, boolean confirmed) {
    Counters c = counters(queue);
    synchronized (c) {
      c.unconfirmed--;
      if (!confirmed) {
        c.accepted--; // never reached the queue
      }
    }
  }

  private Counters counters(String queue) {
    return counters.computeIfAbsent(queue, q -> new Counters());
  }

  // On the probe thread.
  private Channel channel() throws IOException {
    if (channel == null || !channel.isOpen()) {
      Connection c = connection.current();
      if (c == null) {
        throw new IOException("RabbitMQ is not connected");
      }
      channel = c.createChannel();
    }
    return channel;
  }

  void close() {
    thread.execute(() -> {
      if (channel != null && channel.isOpen()) {
        channel.abort(); // read-only channel; the connection may be closing already
      }
    });
    thread.shutdown();
  }

  /** A read of a queue: its ready count, and how many of our publishes to it had been confirmed before. */
  record Sample(long ready, long confirmedBase, long at) {
  }

  /** This process's publishes to one queue. Guarded by itself. */
  private static final class Counters {
    long accepted;
    long unconfirmed;

    synchronized long confirmedSoFar() {
      return accepted - unconfirmed;
    }

    synchronized long acceptedSince(long confirmedBase) {
      return Math.max(0, accepted - confirmedBase);
    }
  }
}
