package io.eco2.engine.transport.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes on one confirm-select channel and completes each publish when the broker confirms it.
 *
 * <p>Every publish ends, one way or another, within the confirm timeout: ack → success; nack → failure;
 * unroutable (a queue was deleted: mandatory flag, {@code basic.return}) → failure, not a silent loss; the
 * channel or connection closing → failure of everything outstanding on it (the old channel's sequence numbers
 * mean nothing on the next one); no confirm in time → failure. A failed publish is the caller's to retry (a
 * worker fails its handler and its own delivery comes back). At most {@code max-pending-confirms} publishes
 * are outstanding; as many more wait for a slot in arrival order, and beyond that a publish fails at once.
 */
final class ConfirmingPublisher {

  private static final System.Logger LOG = System.getLogger(ConfirmingPublisher.class.getName());
  /** Carries the publish sequence number so a {@code basic.return} can be matched to its publish. */
  private static final String SEQ_HEADER = "x-eco2-publish-seq";

  private final Vertx vertx;
  private final AmqpConnection connection;
  private final AmqpThread thread = new AmqpThread("eco2-amqp-publisher");
  private final long confirmTimeoutMs;
  private final int maxPending;
  private final Backoff reopenBackoff;
  private final Set<Outstanding> live = ConcurrentHashMap.newKeySet();
  private final ArrayDeque<Outstanding> waiting = new ArrayDeque<>();
  private final long sweeper;
  private int slotsInUse;
  private volatile ChannelState state;
  private volatile boolean closed;

  ConfirmingPublisher(Vertx vertx, RabbitMqOptions options, AmqpConnection connection) {
    this.vertx = vertx;
    this.connection = connection;
    this.confirmTimeoutMs = options.confirmTimeout().toMillis();
    this.maxPending = options.maxPendingConfirms();
    this.reopenBackoff = new Backoff(options.reconnectInitial(), options.reconnectMax());
    // A timer rather than one per publish: cheap, and it also reaches publishes stuck behind a blocked channel.
    this.sweeper = vertx.setPeriodic(Math.max(20, Math.min(1000, confirmTimeoutMs / 4)), id -> sweep());
  }

  /** Opens the confirm channel on {@code c} unless it is already open there; blocks until done. */
  void open(Connection c) throws Exception {
    thread.submit(() -> openNow(c)).get(30, TimeUnit.SECONDS);
  }

  private void openNow(Connection c) throws IOException {
    ChannelState st = state;
    if (closed || (st != null && st.channel.isOpen())) {
      return;
    }
    Channel ch = c.createChannel();
    ch.confirmSelect();
    ChannelState fresh = new ChannelState(ch);
    ch.addConfirmListener((seq, multiple) -> fresh.confirmed(seq, multiple, null),
      (seq, multiple) -> fresh.confirmed(seq, multiple, new IOException("broker nacked the publish")));
    ch.addReturnListener(r -> fresh.returned(r.getProperties(), r.getReplyText()));
    ch.addShutdownListener(cause -> channelClosed(fresh, cause));
    state = fresh;
    reopenBackoff.reset();
  }

  /** Publishes {@code body} to {@code queue} (default exchange); completes on the caller's context. */
  Future<Void> publish(String queue, AMQP.BasicProperties props, byte[] body) {
    Context context = vertx.getOrCreateContext();
    Outstanding o = new Outstanding(queue, props, body, context, System.currentTimeMillis() + confirmTimeoutMs);
    boolean now;
    synchronized (waiting) {
      if (closed) {
        return Future.failedFuture(new IllegalStateException("RabbitMQ transport is closed"));
      }
      if (slotsInUse < maxPending) {
        slotsInUse++;
        now = true;
      } else if (waiting.size() < maxPending) {
        waiting.addLast(o);
        now = false;
      } else {
        return Future.failedFuture(new IOException("too many publishes awaiting a broker confirm ("
          + maxPending + " outstanding, " + maxPending + " waiting)"));
      }
    }
    live.add(o);
    if (now) {
      thread.execute(() -> send(o));
    }
    return o.promise.future();
  }

  /** Publishes accepted but not yet ended (awaiting a confirm or a slot). */
  int outstanding() {
    return live.size();
  }

  // On the publisher thread.
  private void send(Outstanding o) {
    if (o.done.get()) {
      return;
    }
    ChannelState st = state;
    if (st == null || !st.channel.isOpen()) {
      finish(o, new IOException("RabbitMQ is not connected"));
      return;
    }
    long seq = st.channel.getNextPublishSeqNo();
    Map<String, Object> headers = new HashMap<>(o.props.getHeaders() == null ? Map.of() : o.props.getHeaders());
    headers.put(SEQ_HEADER, seq);
    // Registered before the publish: the confirm may arrive before basicPublish returns.
    st.outstanding.put(seq, o);
    try {
      st.channel.basicPublish("", o.queue, true, o.props.builder().headers(headers).build(), o.body);
    } catch (Exception e) {
      st.outstanding.remove(seq);
      finish(o, e);
      return;
    }
    // The channel may have closed between the put and the publish, after its outstanding map was drained.
    if (st.dead && st.outstanding.remove(seq) != null) {
      finish(o, new IOException("publisher channel closed"));
    }
  }

  private void finish(Outstanding o, Throwable failure) {
    if (!o.done.compareAndSet(false, true)) {
      return;
    }
    live.remove(o);
    Outstanding next;
    synchronized (waiting) {
      next = waiting.pollFirst();
      if (next == null) {
        slotsInUse--;
      }
    }
    if (next != null) {
      Outstanding n = next;
      thread.execute(() -> send(n));
    }
    if (failure == null) {
      o.context.runOnContext(v -> o.promise.complete());
    } else {
      o.context.runOnContext(v -> o.promise.fail(failure));
    }
  }

  private void sweep() {
    long now = System.currentTimeMillis();
    for (Outstanding o : live) {
      if (o.deadline <= now) {
        boolean wasWaiting;
        synchronized (waiting) {
          // A waiter holds no slot: take it out so finish() does not hand its (non-existent) slot on.
          wasWaiting = waiting.remove(o);
          if (wasWaiting) {
            slotsInUse++;
          }
        }
        // Say which wait ran out: a full confirm window is a sizing matter, a missing confirm a broker one.
        finish(o, new TimeoutException(wasWaiting
          ? "a publish to " + o.queue + " waited " + confirmTimeoutMs + " ms for one of the " + maxPending
            + " confirm slots, all in use (rabbitmq.max-pending-confirms)"
          : "no broker confirm for a publish to " + o.queue + " within " + confirmTimeoutMs + " ms"));
      }
    }
  }

  // On the client's I/O thread: fail what the channel took with it, then get a new channel if only it closed.
  private void channelClosed(ChannelState st, ShutdownSignalException cause) {
    st.dead = true;
    IOException failure = new IOException("publisher channel closed before the confirm: " + cause.getMessage());
    for (Long seq : st.outstanding.keySet()) {
      Outstanding o = st.outstanding.remove(seq);
      if (o != null) {
        finish(o, failure);
      }
    }
    if (closed || cause.isHardError() || st != state) {
      return; // A connection loss: the connection's recovery re-opens this channel.
    }
    LOG.log(System.Logger.Level.WARNING, "publisher channel closed: " + cause.getMessage() + "; re-opening");
    vertx.setTimer(reopenBackoff.next(), id -> thread.execute(() -> {
      Connection c = connection.current();
      if (c != null) {
        openNow(c);
      }
    }));
  }

  /** Fails everything outstanding and closes the channel. */
  void close() {
    synchronized (waiting) {
      closed = true;
    }
    vertx.cancelTimer(sweeper);
    for (Outstanding o : live) {
      synchronized (waiting) {
        if (waiting.remove(o)) {
          slotsInUse++;
        }
      }
      finish(o, new IllegalStateException("RabbitMQ transport closed before the broker confirmed"));
    }
    thread.execute(() -> {
      ChannelState st = state;
      if (st != null && st.channel.isOpen()) {
        st.channel.abort(); // nothing is outstanding any more; the connection may be closing already
      }
    });
    thread.shutdown();
  }

  /** One confirm channel and the publishes awaiting a confirm on it, by sequence number. */
  private final class ChannelState {
    final Channel channel;
    final ConcurrentNavigableMap<Long, Outstanding> outstanding = new ConcurrentSkipListMap<>();
    volatile boolean dead;

    ChannelState(Channel channel) {
      this.channel = channel;
    }

    void confirmed(long seq, boolean multiple, Throwable failure) {
      if (multiple) {
        ConcurrentNavigableMap<Long, Outstanding> upTo = outstanding.headMap(seq, true);
        for (Long s : upTo.keySet()) {
          Outstanding o = outstanding.remove(s);
          if (o != null) {
            finish(o, failure != null ? failure : o.unroutable);
          }
        }
      } else {
        Outstanding o = outstanding.remove(seq);
        if (o != null) {
          finish(o, failure != null ? failure : o.unroutable);
        }
      }
    }

    // The broker returns an unroutable mandatory message before it confirms it: remember why for the confirm.
    void returned(AMQP.BasicProperties props, String replyText) {
      Object seq = props.getHeaders() == null ? null : props.getHeaders().get(SEQ_HEADER);
      if (seq instanceof Number n) {
        Outstanding o = outstanding.get(n.longValue());
        if (o != null) {
          o.unroutable = new IOException("publish to " + o.queue + " was unroutable (" + replyText
            + "): does the queue exist?");
        }
      }
    }
  }

  /** One publish from acceptance to its end. */
  private static final class Outstanding {
    final String queue;
    final AMQP.BasicProperties props;
    final byte[] body;
    final Context context;
    final long deadline;
    final Promise<Void> promise = Promise.promise();
    final AtomicBoolean done = new AtomicBoolean();
    volatile Throwable unroutable;

    Outstanding(String queue, AMQP.BasicProperties props, byte[] body, Context context, long deadline) {
      this.queue = queue;
      this.props = props;
      this.body = body;
      this.context = context;
      this.deadline = deadline;
    }
  }
}
