package io.eco2.engine.transport;

import io.eco2.engine.transport.eventbus.EventBusTransport;
import io.eco2.testkit.Await;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class EventBusTransportTest {

  private Vertx vertx;
  private EventBusTransport transport;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    transport = new EventBusTransport(vertx, Map.of("s", 3), 2);
    Await.result(transport.start());
  }

  private static WorkItem item(int n) {
    return new WorkItem("job-" + n, "s", 0, 0, null, null);
  }



  @Test
  void aConsumerNeverHoldsMoreThanItsConcurrency() throws Exception {
    AtomicInteger inflight = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    List<Promise<Void>> open = new CopyOnWriteArrayList<>();
    Await.result(transport.consume("s", 2, item -> {
      peak.accumulateAndGet(inflight.incrementAndGet(), Math::max);
      Promise<Void> p = Promise.promise();
      open.add(p);
      return p.future().onComplete(ar -> inflight.decrementAndGet());
    }));
    for (int i = 0; i < 5; i++) {
      Await.result(transport.send("s", item(i), SendOptions.DEFAULT));
    }
    Await.until("open.size() == 2", () -> open.size() == 2);
    assertThat(Await.result(transport.depth("s"))).isEqualTo(5);
    while (open.size() < 5) {
      int n = open.size();
      open.forEach(Promise::tryComplete);
      Await.until("open.size() > n || open.size() == 5", () -> open.size() > n || open.size() == 5);
    }
    open.forEach(Promise::tryComplete);
    Await.until("the queue drained", () -> Await.result(transport.depth("s")) == 0);
    assertThat(peak.get()).isEqualTo(2);
  }

  @Test
  void anAdmissionBeyondTheBacklogIsRefused() {
    for (int i = 0; i < 3; i++) {
      Await.result(transport.send("s", item(i), SendOptions.ADMISSION));
    }
    Future<Void> refused = transport.send("s", item(3), SendOptions.ADMISSION);
    assertThat(refused.failed()).isTrue();
    assertThat(refused.cause()).isInstanceOf(BacklogFullException.class).hasMessageContaining("'s'");
  }

  @Test
  void aHandOffBeyondTheBacklogWaitsForRoomInsteadOfFailing() throws Exception {
    for (int i = 0; i < 3; i++) {
      Await.result(transport.send("s", item(i), SendOptions.DEFAULT));
    }
    Future<Void> waiting = transport.send("s", item(3), SendOptions.DEFAULT);
    assertThat(waiting.isComplete()).isFalse();
    List<String> seen = new CopyOnWriteArrayList<>();
    Await.result(transport.consume("s", 1, item -> {
      seen.add(item.jobId());
      return Future.succeededFuture();
    }));
    Await.until("seen.size() == 4", () -> seen.size() == 4);
    assertThat(waiting.succeeded()).isTrue();
    assertThat(seen).containsExactly("job-0", "job-1", "job-2", "job-3");
  }

  @Test
  void aDelayedSendArrivesAfterItsDelayAndCountsAsDepthMeanwhile() throws Exception {
    List<Long> arrivals = new CopyOnWriteArrayList<>();
    Await.result(transport.consume("s", 1, item -> {
      arrivals.add(System.nanoTime());
      return Future.succeededFuture();
    }));
    long sent = System.nanoTime();
    Await.result(transport.send("s", item(1), SendOptions.delayed(Duration.ofMillis(200))));
    assertThat(Await.result(transport.depth("s"))).isEqualTo(1);
    Await.until("arrivals.size() == 1", () -> arrivals.size() == 1);
    assertThat(TimeUnit.NANOSECONDS.toMillis(arrivals.get(0) - sent)).isGreaterThanOrEqualTo(190);
  }

  @Test
  void aShortRetryIsNotHeldBackByALongerOneQueuedBeforeIt() {
    Map<String, Long> arrivedAt = new java.util.concurrent.ConcurrentHashMap<>();
    Await.result(transport.consume("s", 2, it -> {
      arrivedAt.put(it.jobId(), System.currentTimeMillis());
      return Future.succeededFuture();
    }));
    Await.result(transport.send("s", item(1), SendOptions.delayed(Duration.ofMillis(3000))));
    long shortSentAt = System.currentTimeMillis();
    Await.result(transport.send("s", item(2), SendOptions.delayed(Duration.ofMillis(200))));

    Await.until("the short retry arrived", () -> arrivedAt.containsKey("job-2"));
    assertThat(arrivedAt).as("the 3 s retry is still waiting").doesNotContainKey("job-1");
    assertThat(arrivedAt.get("job-2") - shortSentAt).as("never early").isGreaterThanOrEqualTo(200);
  }

  @Test
  void aDeliveryWhoseHandlerFailsIsDeliveredAgain() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Await.result(transport.consume("s", 1, item -> calls.incrementAndGet() == 1
      ? Future.failedFuture("boom") : Future.succeededFuture()));
    Await.result(transport.send("s", item(1), SendOptions.DEFAULT));
    Await.until("calls.get() == 2", () -> calls.get() == 2);
    Await.until("the queue drained", () -> Await.result(transport.depth("s")) == 0);
  }
}
