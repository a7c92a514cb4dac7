package io.eco2.engine.transport.eventbus;

import io.eco2.engine.transport.SendOptions;
import io.eco2.engine.transport.StageConsumer;
import io.eco2.engine.transport.StageTransport;
import io.eco2.engine.transport.WorkHandler;
import io.eco2.engine.transport.WorkItem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The embedded-mode transport: stages exchange work over the in-process Vert.x event bus, with credit-based
 * flow control of our own because the bus itself drops messages when a consumer's buffer fills.
 *
 * <p>A handler failure is an engine fault (stage failures are handled by the worker), so the delivery is
 * retried after {@link #REDELIVERY_DELAY} up to {@code maxRedeliveries} times, then logged and counted as
 * dead-lettered.
 */
public final class EventBusTransport implements StageTransport {

  /** Wait before a failed delivery is offered again. */
  public static final Duration REDELIVERY_DELAY = Duration.ofSeconds(1);

  private static final System.Logger LOG = System.getLogger(EventBusTransport.class.getName());

  private final Vertx vertx;
  private final Map<String, LocalStageQueue> queues = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Integer> redeliveries = new ConcurrentHashMap<>();
  private final AtomicLong deadLettered = new AtomicLong();
  private final int maxRedeliveries;

  /**
   * @param backlogs each stage's backlog bound, by stage name
   * @param maxRedeliveries how often a delivery whose handler failed is offered again
   */
  public EventBusTransport(Vertx vertx, Map<String, Integer> backlogs, int maxRedeliveries) {
    this.vertx = Objects.requireNonNull(vertx);
    this.maxRedeliveries = maxRedeliveries;
    backlogs.forEach((stage, cap) -> queues.put(stage, new LocalStageQueue(stage, cap, vertx.eventBus())));
  }

  @Override
  public Future<Void> start() {
    try {
      vertx.eventBus().registerCodec(new WorkItemCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // Several engines may share one Vertx (tests); the codec is stateless.
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> send(String stage, WorkItem item, SendOptions options) {
    LocalStageQueue queue = queue(stage);
    if (!options.delay().isZero()) {
      queue.scheduleOne();
      vertx.setTimer(Math.max(1, options.delay().toMillis()), id -> queue.requeue(item, true));
      return Future.succeededFuture();
    }
    if (options.requeue()) {
      queue.requeue(item, false);
      return Future.succeededFuture();
    }
    return queue.offer(item, options.admission());
  }

  @Override
  public Future<StageConsumer> consume(String stage, int concurrency, WorkHandler handler) {
    LocalStageQueue queue = queue(stage);
    String address = "eco2.work." + stage + "." + UUID.randomUUID();
    MessageConsumer<WorkItem> consumer = vertx.eventBus().localConsumer(address);
    LocalStageQueue.Credit[] credit = new LocalStageQueue.Credit[1];
    consumer.handler(msg -> {
      WorkItem item = msg.body();
      Future<Void> outcome;
      try {
        outcome = handler.handle(item);
      } catch (RuntimeException e) {
        outcome = Future.failedFuture(e);
      }
      outcome.onComplete(ar -> {
        if (ar.failed()) {
          redeliver(queue, item, ar.cause());
        } else {
          redeliveries.remove(key(item));
        }
        queue.completed(credit[0]);
      });
    });
    return consumer.completion().map(v -> {
      credit[0] = queue.register(address, concurrency);
      return (StageConsumer) new Consumer(queue, credit[0], consumer);
    });
  }

  private void redeliver(LocalStageQueue queue, WorkItem item, Throwable cause) {
    String key = key(item);
    int n = redeliveries.merge(key, 1, Integer::sum);
    if (n > maxRedeliveries) {
      redeliveries.remove(key);
      deadLettered.incrementAndGet();
      LOG.log(System.Logger.Level.ERROR, "job " + item.jobId() + " at stage " + item.stage()
        + " dead-lettered after " + maxRedeliveries + " redeliveries: " + cause);
      return;
    }
    LOG.log(System.Logger.Level.WARNING, "job " + item.jobId() + " at stage " + item.stage()
      + " redelivered (" + n + "/" + maxRedeliveries + "): " + cause);
    queue.scheduleOne();
    vertx.setTimer(REDELIVERY_DELAY.toMillis(), id -> queue.requeue(item, true));
  }

  private static String key(WorkItem item) {
    return item.jobId() + "/" + item.stage() + "/" + item.attempt();
  }

  /** In process there is no queue to park it in: it is counted and logged; the job's error event says the rest. */
  @Override
  public Future<Void> deadLetter(String stage, WorkItem item, String reason) {
    queue(stage);
    deadLettered.incrementAndGet();
    LOG.log(System.Logger.Level.WARNING, "job " + item.jobId() + " failed at stage " + stage + " after "
      + (item.attempt() + 1) + " attempts: " + reason);
    return Future.succeededFuture();
  }

  @Override
  public Future<Long> depth(String stage) {
    return Future.succeededFuture(queue(stage).depth());
  }

  /** Jobs given up: failed after their retries, or deliveries whose redeliveries ran out (each one is logged). */
  public long deadLettered() {
    return deadLettered.get();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  private LocalStageQueue queue(String stage) {
    LocalStageQueue q = queues.get(stage);
    if (q == null) {
      throw new IllegalArgumentException("no queue for stage '" + stage + "' (not in pipeline.stages)");
    }
    return q;
  }

  private static final class Consumer implements StageConsumer {
    private final LocalStageQueue queue;
    private final LocalStageQueue.Credit credit;
    private final MessageConsumer<WorkItem> consumer;

    Consumer(LocalStageQueue queue, LocalStageQueue.Credit credit, MessageConsumer<WorkItem> consumer) {
      this.queue = queue;
      this.credit = credit;
      this.consumer = consumer;
    }

    @Override
    public int inflight() {
      return queue.inflight(credit);
    }

    @Override
    public void setConcurrency(int concurrency) {
      if (concurrency < 1) {
        throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
      }
      queue.setCredit(credit, concurrency);
    }

    @Override
    public Future<Void> stop() {
      return queue.stop(credit).compose(v -> consumer.unregister());
    }
  }
}
