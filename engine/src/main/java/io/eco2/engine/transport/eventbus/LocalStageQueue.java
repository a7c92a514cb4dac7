package io.eco2.engine.transport.eventbus;

import io.eco2.engine.transport.BacklogFullException;
import io.eco2.engine.transport.WorkItem;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One stage's work queue with credit-based dispatch over the event bus.
 *
 * <p>Each consumer announces its credit (its concurrency); the queue sends a consumer a work item only while
 * it has credit, so an event-bus consumer buffer never fills and the bus never drops a message. What cannot
 * be dispatched waits in a deque bounded by the stage's backlog; senders beyond that wait for room (their
 * number is bounded by the previous stage's concurrency, whose slots they hold) and admissions are refused. Thread-safe: consumers and senders
 * live on different event loops.
 */
final class LocalStageQueue {

  private final String stage;
  private final int capacity;
  private final EventBus eventBus;
  private final DeliveryOptions delivery = new DeliveryOptions().setCodecName(WorkItemCodec.NAME);

  private final ArrayDeque<WorkItem> ready = new ArrayDeque<>();
  private final ArrayDeque<Waiter> waitingSenders = new ArrayDeque<>();
  private final List<Credit> consumers = new ArrayList<>();
  private int nextConsumer;
  private int inflight;
  private int scheduled;

  LocalStageQueue(String stage, int capacity, EventBus eventBus) {
    this.stage = stage;
    this.capacity = capacity;
    this.eventBus = eventBus;
  }

  synchronized Future<Void> offer(WorkItem item, boolean admission) {
    if (ready.isEmpty() && dispatchTo(item)) {
      return Future.succeededFuture();
    }
    if (ready.size() < capacity) {
      ready.addLast(item);
      return Future.succeededFuture();
    }
    if (admission) {
      return Future.failedFuture(new BacklogFullException(stage, capacity));
    }
    // Never refused: each waiting hand-off holds one worker slot of the previous stage, so their number is
    // bounded by that stage's concurrency; refusing one would lose an accepted job.
    Promise<Void> promise = Promise.promise();
    waitingSenders.addLast(new Waiter(item, promise));
    return promise.future();
  }

  /**
   * Puts back work that was already accepted once (a due retry or a redelivery). It bypasses the bound:
   * refusing it would lose an accepted job, and its number is bounded by the jobs admitted.
   */
  synchronized void requeue(WorkItem item, boolean wasScheduled) {
    if (wasScheduled) {
      scheduled--;
    }
    if (!(ready.isEmpty() && dispatchTo(item))) {
      ready.addFirst(item);
    }
  }

  synchronized void scheduleOne() {
    scheduled++;
  }

  synchronized Credit register(String address, int credit) {
    Credit c = new Credit(address, credit);
    consumers.add(c);
    pump();
    return c;
  }

  synchronized void unregister(Credit c) {
    consumers.remove(c);
  }

  /** A delivery finished (acknowledged or to be redelivered): its credit returns to its consumer. */
  synchronized void completed(Credit c) {
    c.credit++;
    c.inflight--;
    inflight--;
    if (c.stopping && c.inflight == 0) {
      c.stopped.tryComplete();
    }
    pump();
  }

  /** Stops dispatching to {@code c}; the future completes once its deliveries in flight are done. */
  synchronized Future<Void> stop(Credit c) {
    c.stopping = true;
    consumers.remove(c);
    if (c.inflight == 0) {
      c.stopped.tryComplete();
    }
    return c.stopped.future();
  }

  synchronized void setCredit(Credit c, int concurrency) {
    c.credit += concurrency - c.concurrency;
    c.concurrency = concurrency;
    pump();
  }

  synchronized int inflight(Credit c) {
    return c.inflight;
  }

  synchronized long depth() {
    return (long) ready.size() + waitingSenders.size() + inflight + scheduled;
  }

  synchronized int waiting() {
    return ready.size() + waitingSenders.size();
  }

  private void pump() {
    while (!ready.isEmpty() && dispatchTo(ready.peekFirst())) {
      ready.pollFirst();
    }
    while (!waitingSenders.isEmpty() && ready.size() < capacity) {
      Waiter w = waitingSenders.pollFirst();
      if (!(ready.isEmpty() && dispatchTo(w.item))) {
        ready.addLast(w.item);
      }
      w.promise.complete();
    }
  }

  // Round robin over consumers with credit, so instances on different event loops share the work.
  private boolean dispatchTo(WorkItem item) {
    int n = consumers.size();
    for (int i = 0; i < n; i++) {
      Credit c = consumers.get((nextConsumer + i) % n);
      if (c.credit > 0 && !c.stopping) {
        nextConsumer = (nextConsumer + i + 1) % n;
        c.credit--;
        c.inflight++;
        inflight++;
        eventBus.send(c.address, item, delivery);
        return true;
      }
    }
    return false;
  }

  /** A consumer's credit: deliveries it may still take. */
  static final class Credit {
    final String address;
    int concurrency;
    int credit;
    int inflight;
    boolean stopping;
    final Promise<Void> stopped = Promise.promise();

    Credit(String address, int concurrency) {
      this.address = address;
      this.concurrency = concurrency;
      this.credit = concurrency;
    }
  }

  private record Waiter(WorkItem item, Promise<Void> promise) {
  }
}
