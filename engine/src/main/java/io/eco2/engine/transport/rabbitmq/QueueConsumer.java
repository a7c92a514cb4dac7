package io.eco2.engine.transport.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import io.eco2.engine.transport.StageConsumer;
import io.eco2.engine.transport.WorkHandler;
import io.eco2.engine.transport.WorkItem;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One consumer of a stage's work queue, on a channel (and a thread) of its own.
 *
 * <p>In-flight work is bounded by the channel's prefetch ({@code basic.qos}, channel-wide: the channel has
 * exactly this one consumer, and a channel-wide limit can be changed while consuming, which is what
 * {@link #setConcurrency} needs). Each delivery is stamped with the channel it came on. When that channel dies
 * (connection loss, channel error), the broker requeues its unacked messages by itself, so an ack or nack for
 * them is dropped: sending an old delivery tag on the new channel would close it with 406. Handlers still
 * running for such stale deliveries keep counting against the concurrency: the new channel's prefetch is
 * lowered by their number (and consumption waits while they fill it), so the handler never runs more than
 * {@code concurrency} items at once, even across a reconnect.
 */
final class QueueConsumer implements StageConsumer {

  private static final System.Logger LOG = System.getLogger(QueueConsumer.class.getName());

  /** Where a message that is not a work item goes (the stage's dead-letter queue). */
  @FunctionalInterface
  interface Quarantine {
    Future<Void> park(byte[] body, String reason);
  }

  /** Where a message that still has time to wait goes (the next hop of a long delay). */
  @FunctionalInterface
  interface Redelay {
    Future<Void> delay(AMQP.BasicProperties props, byte[] body, long leftMs);
  }

  private final Vertx vertx;
  private final Context context;
  private final String queue;
  private final WorkHandler handler;
  private final AmqpConnection connection;
  private final Quarantine quarantine;
  private final Redelay redelay;
  private final long redeliveryDelayMs;
  private final Backoff reopenBackoff;
  private final AmqpThread thread;
  private final AtomicInteger inflight = new AtomicInteger();
  private final Promise<Void> stopped = Promise.promise();
  private volatile int concurrency;
  private volatile ChannelState current;
  private volatile boolean stopping;

  QueueConsumer(Vertx vertx, Context context, String queue, int concurrency, WorkHandler handler,
                AmqpConnection connection, Quarantine quarantine, Redelay redelay, RabbitMqOptions options, int serial) {
    this.vertx = vertx;
    this.context = context;
    this.queue = queue;
    this.concurrency = concurrency;
    this.handler = handler;
    this.connection = connection;
    this.quarantine = quarantine;
    this.redelay = redelay;
    this.redeliveryDelayMs = options.redeliveryDelay().toMillis();
    this.reopenBackoff = new Backoff(options.reconnectInitial(), options.reconnectMax());
    this.thread = new AmqpThread("eco2-amqp-consumer-" + queue + "-" + serial);
  }

  /** Opens the channel on {@code c} and starts consuming unless already done there; blocks until done. */
  void open(Connection c) throws Exception {
    thread.submit(() -> openNow(c)).get(30, TimeUnit.SECONDS);
  }

  /** Opens the channel asynchronously (a consumer added while connected). */
  Future<Void> openAsync(Connection c) {
    return thread.call(context, () -> {
      openNow(c);
      return null;
    });
  }

  // On the consumer thread.
  private void openNow(Connection c) throws IOException {
    ChannelState st = current;
    if (stopping || (st != null && st.channel.isOpen())) {
      return;
    }
    Channel ch = c.createChannel();
    ChannelState fresh = new ChannelState(ch);
    current = fresh;
    ch.addShutdownListener(cause -> channelClosed(fresh, cause));
    applyLimit();
    reopenBackoff.reset();
  }

  // On the consumer thread: prefetch = concurrency minus stale deliveries still being handled.
  private void applyLimit() throws IOException {
    ChannelState st = current;
    if (st == null || !st.channel.isOpen() || stopping) {
      return;
    }
    int target = concurrency - (inflight.get() - st.outstanding.get());
    if (st.consumerTag == null) {
      if (target <= 0) {
        return; // Stale deliveries fill the concurrency: consume once some of them end.
      }
      st.channel.basicQos(target, true);
      st.prefetch = target;
      st.consumerTag = st.channel.basicConsume(queue, false, new Deliveries(st));
    } else {
      int prefetch = Math.max(1, target); // 0 would mean unlimited
      if (prefetch != st.prefetch) {
        st.channel.basicQos(prefetch, true);
        st.prefetch = prefetch;
      }
    }
  }

  // On the client's consumer thread (serial per channel): count it, then run it on the consumer's context.
  private void delivered(ChannelState st, long tag, boolean redelivered, AMQP.BasicProperties props, byte[] body) {
    st.outstanding.incrementAndGet();
    inflight.incrementAndGet();
    context.runOnContext(v -> handle(st, tag, redelivered, props, body));
  }

  private void handle(ChannelState st, long tag, boolean redelivered, AMQP.BasicProperties props, byte[] body) {
    Object left = props.getHeaders() == null ? null : props.getHeaders().get(RabbitMqTransport.DELAY_LEFT_HEADER);
    if (left instanceof Number n && n.longValue() > 0) {
      // Not due yet: the rest of a delay longer than the stage's top delay queue.
      redelay.delay(props, body, n.longValue()).onComplete(ar -> {
        if (ar.failed()) {
          LOG.log(System.Logger.Level.WARNING, "cannot delay a retry on " + queue + " again: " + ar.cause());
        }
        settleAfterPause(st, tag, ar.succeeded());
      });
      return;
    }
    WorkItem item;
    try {
      item = WorkItem.fromJson(new JsonObject(io.vertx.core.buffer.Buffer.buffer(body)));
    } catch (RuntimeException e) {
      // Redelivering it would fail forever: park it where an operator can see it.
      LOG.log(System.Logger.Level.ERROR, "malformed message on " + queue + " dead-lettered: " + e);
      quarantine.park(body, "malformed work item: " + e.getMessage())
        .onComplete(ar -> settle(st, tag, ar.succeeded()));
      return;
    }
    Future<Void> outcome;
    try {
      outcome = handler.handle(item, redelivered);
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    outcome.onComplete(ar -> {
      if (ar.failed()) {
        // A handler failure is an engine fault (Redis down, say): handed out again after the pause.
        LOG.log(System.Logger.Level.WARNING, "job " + item.jobId() + " on " + queue + " will be redelivered: "
          + ar.cause());
      }
      settleAfterPause(st, tag, ar.succeeded());
    });
  }

  // A nack waits the redelivery pause first, so a persistent fault does not become a hot loop.
  private void settleAfterPause(ChannelState st, long tag, boolean ack) {
    if (ack || redeliveryDelayMs <= 0) {
      settle(st, tag, ack);
    } else {
      vertx.setTimer(redeliveryDelayMs, id -> settle(st, tag, false));
    }
  }

  private void settle(ChannelState st, long tag, boolean ack) {
    thread.execute(() -> {
      try {
        if (st == current && st.channel.isOpen()) {
          if (ack) {
            st.channel.basicAck(tag, false);
          } else {
            st.channel.basicNack(tag, false, true);
          }
        } else {
          LOG.log(System.Logger.Level.DEBUG, "delivery " + tag + " on " + queue
            + " came on a closed channel: the broker redelivers it, ack dropped");
        }
      } finally {
        st.outstanding.decrementAndGet();
        inflight.decrementAndGet();
        if (stopping) {
          finishStopIfIdle();
        } else if (st != current) {
          applyLimit(); // a stale delivery ended: its slot goes back to the live channel
        }
      }
    });
  }

  // On the client's I/O thread: never block here.
  private void channelClosed(ChannelState st, ShutdownSignalException cause) {
    if (st != current || stopping) {
      return;
    }
    if (cause.isHardError()) {
      return; // The connection is gone: its recovery re-opens this consumer.
    }
    LOG.log(System.Logger.Level.WARNING, "consumer channel of " + queue + " closed: " + cause.getMessage()
      + "; re-opening");
    reopenLater();
  }

  private void reopenLater() {
    vertx.setTimer(reopenBackoff.next(), id -> thread.execute(() -> {
      Connection c = connection.current();
      if (c == null || stopping) {
        return;
      }
      try {
        openNow(c);
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "cannot re-open consumer of " + queue + ": " + e);
        reopenLater();
      }
    }));
  }

  @Override
  public int inflight() {
    return inflight.get();
  }

  /** Changes the channel's prefetch; deliveries beyond a lowered value finish, no new ones come until below. */
  @Override
  public void setConcurrency(int concurrency) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
    }
    this.concurrency = concurrency;
    thread.execute(this::applyLimit);
  }

  /** Cancels the consumer, waits for in-flight deliveries to be acknowledged (or dropped), closes the channel. */
  @Override
  public Future<Void> stop() {
    stopping = true;
    thread.execute(() -> {
      ChannelState st = current;
      if (st != null && st.consumerTag != null && st.channel.isOpen()) {
        try {
          st.channel.basicCancel(st.consumerTag);
        } catch (IOException | RuntimeException e) {
          LOG.log(System.Logger.Level.DEBUG, "cancel of consumer on " + queue + " failed: " + e);
        }
      }
      finishStopIfIdle();
    });
    return stopped.future();
  }

  // On the consumer thread.
  private void finishStopIfIdle() {
    if (inflight.get() > 0 || stopped.future().isComplete()) {
      return;
    }
    ChannelState st = current;
    if (st != null && st.channel.isOpen()) {
      try {
        st.channel.close();
      } catch (IOException | RuntimeException | java.util.concurrent.TimeoutException e) {
        LOG.log(System.Logger.Level.DEBUG, "closing consumer channel of " + queue + ": " + e);
      }
    }
    thread.shutdown();
    context.runOnContext(v -> stopped.tryComplete());
  }

  boolean isStopping() {
    return stopping;
  }

  /** Transport close: stop at once; in-flight deliveries go back to the broker with the channel. */
  void abort() {
    stopping = true;
    thread.execute(() -> {
      ChannelState st = current;
      if (st != null && st.channel.isOpen()) {
        st.channel.abort();
      }
      thread.shutdown();
      context.runOnContext(v -> stopped.tryComplete());
    });
  }

  /** One channel incarnation and its deliveries not yet settled. */
  private static final class ChannelState {
    final Channel channel;
    final AtomicInteger outstanding = new AtomicInteger();
    String consumerTag; // consumer thread only
    int prefetch;       // consumer thread only

    ChannelState(Channel channel) {
      this.channel = channel;
    }
  }

  private final class Deliveries extends DefaultConsumer {
    private final ChannelState st;

    Deliveries(ChannelState st) {
      super(st.channel);
      this.st = st;
    }

    @Override
    public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
      delivered(st, envelope.getDeliveryTag(), envelope.isRedeliver(), props, body);
    }

    @Override
    public void handleCancel(String consumerTag) {
      // The broker cancelled us (the queue was deleted): a fresh channel re-consumes once it is back.
      LOG.log(System.Logger.Level.WARNING, "broker cancelled the consumer of " + queue);
      thread.execute(() -> {
        if (st == current && st.channel.isOpen()) {
          st.channel.abort();
        }
      });
    }
  }
}
