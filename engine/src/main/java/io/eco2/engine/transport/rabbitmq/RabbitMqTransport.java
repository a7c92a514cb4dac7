package io.eco2.engine.transport.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.eco2.engine.transport.BacklogFullException;
import io.eco2.engine.transport.SendOptions;
import io.eco2.engine.transport.StageConsumer;
import io.eco2.engine.transport.StageTransport;
import io.eco2.engine.transport.WorkHandler;
import io.eco2.engine.transport.WorkItem;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The distributed-mode transport: one durable RabbitMQ work queue per stage, with publisher confirms, manual
 * acknowledgements and prefetch = concurrency (CONTRACT §5). See {@link Topology} for the queues.
 *
 * <p>Built on the RabbitMQ Java client through our own thin async layer rather than the Vert.x RabbitMQ client
 * (5.0.7), which loses pending confirms on reconnect, shares one channel so per-consumer prefetch is not
 * restored after a reconnect, and cannot tell stale delivery tags from fresh ones. Every blocking client call
 * runs on a dedicated thread per channel ({@link AmqpThread}); every future completes on the caller's context.
 *
 * <ul>
 *   <li>{@link #send}: a delayed send (a retry) goes to the delay queue of its delay rounded up to a rung
 *       ({@link Topology#hop}), so it is due within {@code max(10 %, 100 ms)} of its delay whatever else waits;
 *       a delay beyond the stage's top rung carries the rest in header {@value #DELAY_LEFT_HEADER} and the
 *       consumer that receives it delays it again instead of handing it to the stage; an admission is refused with {@link BacklogFullException} when {@code P.S}'s ready count
 *       (read at most 250 ms ago) plus this process's publishes since that read reaches the stage's backlog
 *       (exact within a process, approximate across API instances); any other send waits, polling with
 *       backoff, until there is room (at most 60 s, then it fails with {@link BacklogFullException} and the
 *       sender's own delivery is retried). A send completes when the broker confirms the message.</li>
 *   <li>{@link #consume}: a channel per consumer; ack when the handler's future succeeds, nack (requeue) when
 *       it fails, after a short pause; re-opened after a reconnect.</li>
 *   <li>{@link #depth}: ready in {@code P.S}, {@code P.S.retry} and the delay queues (that sum read at most
 *       every 2 s) plus this process's unacked deliveries of S. Other processes' unacked deliveries are not visible to a passive declare; they are added by whoever
 *       aggregates the workers' reports (the autoscaler), not here.</li>
 * </ul>
 * Messages are persistent JSON ({@link WorkItem#toJson()}) with message id {@code jobId:stage:attempt}.
 */
public final class RabbitMqTransport implements StageTransport {

  /** Header of a delayed message that still has this many ms to wait once it reaches the work queue. */
  static final String DELAY_LEFT_HEADER = "x-eco2-delay-left-ms";

  private static final System.Logger LOG = System.getLogger(RabbitMqTransport.class.getName());
  private static final long FIRST_POLL_MS = 50;
  // Retries waiting out a backoff of seconds: their count may be this old (one read of every delay queue).
  private static final long DELAY_DEPTH_TTL_MS = 2000;
  private static final long MAX_POLL_MS = 1000;

  private final Vertx vertx;
  private final RabbitMqOptions options;
  private final Topology topology;
  private final AmqpConnection connection;
  private final ConfirmingPublisher publisher;
  private final QueueDepthProbe probe;
  private final List<Registered> consumers = new CopyOnWriteArrayList<>();
  private final AtomicInteger serial = new AtomicInteger();

  private final boolean ownsConnection;

  /** A transport on a connection of its own, which {@link #close()} closes (tests, tools). */
  public RabbitMqTransport(Vertx vertx, RabbitMqOptions options) {
    this(vertx, options, new AmqpConnection(options), true);
  }

  /**
   * A transport on the process's {@code connection} (see {@link AmqpConnection}): {@link #start()} connects
   * it, {@link #close()} leaves it to its owner.
   */
  public RabbitMqTransport(Vertx vertx, RabbitMqOptions options, AmqpConnection connection) {
    this(vertx, options, connection, false);
  }

  private RabbitMqTransport(Vertx vertx, RabbitMqOptions options, AmqpConnection connection, boolean owns) {
    this.vertx = Objects.requireNonNull(vertx);
    this.options = Objects.requireNonNull(options);
    if (options.backlogs().isEmpty()) {
      throw new IllegalArgumentException("RabbitMQ transport needs at least one stage");
    }
    this.topology = new Topology(options.queuePrefix(), options.backlogs().keySet(), options.longestRetryDelays());
    this.connection = Objects.requireNonNull(connection);
    this.ownsConnection = owns;
    this.publisher = new ConfirmingPublisher(vertx, options, connection);
    this.probe = new QueueDepthProbe(connection, options.depthCacheTtl().toMillis());
    connection.addListener(this::recover);
  }

  // On the connection thread, after every (re)connect: queues first, then what uses them.
  private void recover(Connection c) throws Exception {
    Channel ch = c.createChannel();
    try {
      topology.declare(ch);
    } finally {
      if (ch.isOpen()) {
        ch.close();
      }
    }
    publisher.open(c);
    for (Registered r : consumers) {
      if (!r.consumer.isStopping()) {
        r.consumer.open(c);
      }
    }
  }

  /** Connects (failing fast if the broker cannot be reached) and declares every stage's queues. */
  @Override
  public Future<Void> start() {
    return connection.start(vertx.getOrCreateContext());
  }

  @Override
  public Future<Void> send(String stage, WorkItem item, SendOptions sendOptions) {
    if (!topology.has(stage)) {
      return unknown(stage);
    }
    Context context = vertx.getOrCreateContext();
    AMQP.BasicProperties.Builder props = properties(item);
    if (sendOptions.delay().toMillis() > 0) {
      return delay(stage, props.build(), body(item), sendOptions.delay().toMillis());
    }
    String queue = topology.workQueue(stage);
    if (sendOptions.requeue()) {
      return publishCounted(queue, props.build(), body(item));
    }
    long limit = options.backlogs().get(stage);
    if (sendOptions.admission()) {
      return probe.sample(queue, context).compose(s -> {
        if (!probe.tryAccept(queue, s.ready(), s.confirmedBase(), limit)) {
          return Future.failedFuture(new BacklogFullException(stage, limit));
        }
        return publishAccepted(queue, props.build(), body(item));
      });
    }
    Promise<Void> room = Promise.promise();
    waitForRoom(stage, queue, limit, context, System.currentTimeMillis() + options.backpressureMaxWait().toMillis(),
      FIRST_POLL_MS, room);
    return room.future().compose(v -> publishCounted(queue, props.build(), body(item)));
  }

  // The first (or next) hop of a delay: the delay queue of its rung, the rest (if any) in a header.
  private Future<Void> delay(String stage, AMQP.BasicProperties props, byte[] body, long delayMs) {
    Topology.Hop hop = topology.hop(stage, delayMs);
    Map<String, Object> headers = props.getHeaders() == null ? new HashMap<>() : new HashMap<>(props.getHeaders());
    headers.remove(DELAY_LEFT_HEADER);
    if (hop.leftMs() > 0) {
      headers.put(DELAY_LEFT_HEADER, hop.leftMs());
    }
    return publishCounted(hop.queue(), props.builder().headers(headers.isEmpty() ? null : headers).build(), body);
  }

  // Backpressure between stages: a hand-off to a full stage waits until it has room.
  private void waitForRoom(String stage, String queue, long limit, Context context, long deadline, long pollMs,
                           Promise<Void> room) {
    probe.estimate(queue, context).onComplete(ar -> {
      if (ar.failed()) {
        room.fail(ar.cause());
      } else if (ar.result() < limit) {
        room.complete();
      } else if (System.currentTimeMillis() >= deadline) {
        room.fail(new BacklogFullException(stage, limit));
      } else {
        vertx.setTimer(pollMs, id -> waitForRoom(stage, queue, limit, context, deadline,
          Math.min(MAX_POLL_MS, pollMs * 2), room));
      }
    });
  }

  private Future<Void> publishCounted(String queue, AMQP.BasicProperties props, byte[] body) {
    probe.accepted(queue);
    return publishAccepted(queue, props, body);
  }

  private Future<Void> publishAccepted(String queue, AMQP.BasicProperties props, byte[] body) {
    return publisher.publish(queue, props, body).andThen(ar -> probe.settled(queue, ar.succeeded()));
  }

  private static byte[] body(WorkItem item) {
    return item.toJson().encode().getBytes(StandardCharsets.UTF_8);
  }

  private static AMQP.BasicProperties.Builder properties(WorkItem item) {
    return new AMQP.BasicProperties.Builder()
      .contentType("application/json")
      .deliveryMode(2)
      .messageId(item.jobId() + ":" + item.stage() + ":" + item.attempt())
      .timestamp(new Date());
  }

  @Override
  public Future<StageConsumer> consume(String stage, int concurrency, WorkHandler handler) {
    if (!topology.has(stage)) {
      return unknown(stage);
    }
    if (concurrency < 1) {
      return Future.failedFuture(new IllegalArgumentException("concurrency must be at least 1, got " + concurrency));
    }
    Context context = vertx.getOrCreateContext();
    QueueConsumer consumer = new QueueConsumer(vertx, context, topology.workQueue(stage), concurrency,
      Objects.requireNonNull(handler), connection, (body, reason) -> park(stage, body, reason, 0),
      (props, body, leftMs) -> delay(stage, props, body, leftMs), options, serial.incrementAndGet());
    Registered registered = new Registered(stage, consumer);
    // Registered first: a reconnect from now on re-opens it; open() is a no-op if that already happened.
    consumers.add(registered);
    Handle handle = new Handle(registered);
    Connection c = connection.current();
    if (c == null) {
      // Between connections: the recovery in progress opens it. A worker should not fail to start for that.
      LOG.log(System.Logger.Level.INFO, "RabbitMQ is not connected; consumer of " + stage + " starts on reconnect");
      return Future.succeededFuture(handle);
    }
    return consumer.openAsync(c).<StageConsumer>map(v -> handle).recover(e -> {
      if (connection.current() == null) {
        return Future.succeededFuture(handle); // lost meanwhile: the recovery opens it
      }
      consumers.remove(registered);
      consumer.abort();
      return Future.failedFuture(e);
    });
  }

  /** Publishes (confirmed) to {@code P.S.dlq} with headers {@code x-reason} and {@code x-attempts}. */
  @Override
  public Future<Void> deadLetter(String stage, WorkItem item, String reason) {
    if (!topology.has(stage)) {
      return unknown(stage);
    }
    LOG.log(System.Logger.Level.WARNING, "job " + item.jobId() + " dead-lettered at stage " + stage + " after "
      + (item.attempt() + 1) + " attempts: " + reason);
    return park(stage, body(item), reason, item.attempt() + 1);
  }

  private Future<Void> park(String stage, byte[] body, String reason, int attempts) {
    Map<String, Object> headers = new HashMap<>();
    headers.put("x-reason", reason == null ? "" : reason);
    headers.put("x-attempts", attempts);
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/json")
      .deliveryMode(2).timestamp(new Date()).headers(headers).build();
    return publisher.publish(topology.deadLetterQueue(stage), props, body);
  }

  @Override
  public Future<Long> depth(String stage) {
    if (!topology.has(stage)) {
      return unknown(stage);
    }
    Context context = vertx.getOrCreateContext();
    long unacked = consumers.stream().filter(r -> r.stage.equals(stage)).mapToLong(r -> r.consumer.inflight()).sum();
    Future<Long> work = probe.ready(topology.workQueue(stage), context);
    Future<Long> retry = probe.ready(topology.retryQueue(stage), context);
    Future<Long> delayed = probe.readyTotal(stage, topology.delayQueues(stage), DELAY_DEPTH_TTL_MS, context);
    return Future.all(work, retry, delayed).map(all -> unacked + work.result() + retry.result() + delayed.result());
  }

  /** Fails while the connection is down (the readiness check). */
  @Override
  public Future<Void> ping() {
    return connection.current() != null ? Future.succeededFuture()
      : Future.failedFuture(new IllegalStateException("RabbitMQ at " + connection.where() + " is not connected (reconnecting)"));
  }

  /** Closes consumers, the publisher (failing unconfirmed publishes) and the connection when it is its own. */
  @Override
  public Future<Void> close() {
    for (Registered r : consumers) {
      r.consumer.abort();
    }
    consumers.clear();
    publisher.close();
    probe.close();
    return ownsConnection ? connection.close(vertx.getOrCreateContext()) : Future.succeededFuture();
  }

  /** The queue names of the topology: work, retry, delay and dead-letter queues of every stage (for operators, tests). */
  public List<String> queueNames() {
    return topology.queues();
  }

  private static <T> Future<T> unknown(String stage) {
    return Future.failedFuture(new IllegalArgumentException("no queue for stage '" + stage
      + "' (not in pipeline.stages)"));
  }

  private record Registered(String stage, QueueConsumer consumer) {
  }

  /** What {@link #consume} hands out: the consumer, unregistered from reconnects once stopped. */
  private final class Handle implements StageConsumer {
    private final Registered registered;

    Handle(Registered registered) {
      this.registered = registered;
    }

    @Override
    public int inflight() {
      return registered.consumer.inflight();
    }

    @Override
    public void setConcurrency(int concurrency) {
      registered.consumer.setConcurrency(concurrency);
    }

    @Override
    public Future<Void> stop() {
      return registered.consumer.stop().andThen(ar -> consumers.remove(registered));
    }
  }
}
