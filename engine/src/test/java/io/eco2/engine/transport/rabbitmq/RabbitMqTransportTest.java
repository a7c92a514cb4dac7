package io.eco2.engine.transport.rabbitmq;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.eco2.engine.transport.BacklogFullException;
import io.eco2.engine.transport.SendOptions;
import io.eco2.engine.transport.StageConsumer;
import io.eco2.engine.transport.WorkItem;
import io.eco2.testkit.Await;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.eco2.engine.transport.rabbitmq.RabbitTestSupport.item;
import static org.assertj.core.api.Assertions.assertThat;

/** Against the local RabbitMQ (127.0.0.1:5672): topology, flow control, retries, admission, dead letters. */
@ExtendWith(VertxExtension.class)
class RabbitMqTransportTest {


  private Vertx vertx;
  private RabbitTestSupport rabbit;
  private RabbitMqTransport transport;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    this.vertx = vertx;
    rabbit = new RabbitTestSupport();
    Map<String, Integer> backlogs = new LinkedHashMap<>();
    backlogs.put("vision", 100);
    backlogs.put("rule", 3);
    transport = new RabbitMqTransport(vertx, rabbit.options(backlogs).setLongestRetryDelays(Map.of("rule", 1000L)));
    Await.result(transport.start());
  }

  @AfterEach
  void tearDown() throws Exception {
    Await.result(transport.close());
    rabbit.deleteQueues(transport.queueNames());
    rabbit.close();
  }

  private String q(String suffix) {
    return rabbit.prefix + "." + suffix;
  }

  @Test
  void declaresWorkRetryDelayAndDeadLetterQueuesForEveryStage() throws Exception {
    List<String> expected = new java.util.ArrayList<>(List.of(q("vision"), q("vision.retry"), q("vision.dlq"),
      q("rule"), q("rule.retry"), q("rule.dlq")));
    // vision: no longest delay given, so the default 5 s; rule: up to its 1 s
    DelayLadder.covering(100, RabbitMqOptions.DEFAULT_LONGEST_RETRY_DELAY_MS).forEach(ms -> expected.add(q("vision.retry." + ms)));
    List.of(100, 200, 300, 400, 500, 600, 700, 800, 900, 1000).forEach(ms -> expected.add(q("rule.retry." + ms)));
    assertThat(transport.queueNames()).containsExactlyInAnyOrderElementsOf(expected);
    for (String queue : transport.queueNames()) {
      assertThat(rabbit.ready(queue)).as(queue).isZero(); // a passive declare: fails (404) if missing
    }
    // Re-declaring with the arguments we expect must succeed; a mismatch would be a 406 and throw here.
    try (Channel ch = rabbit.channel()) {
      ch.queueDeclare(q("rule.retry"), true, false, false,
        Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", q("rule")));
      ch.queueDeclare(q("rule.retry.400"), true, false, false,
        Map.of("x-message-ttl", 400L, "x-dead-letter-exchange", "", "x-dead-letter-routing-key", q("rule")));
      ch.queueDeclare(q("rule"), true, false, false, null);
    }
  }

  @Test
  void messagesArePersistentJsonWithJobStageAttemptAsId() throws Exception {
    WorkItem sent = new WorkItem("job-1", "vision", 2, 42L, new io.vertx.core.json.JsonObject().put("a", 1), null);
    Await.result(transport.send("vision", sent, SendOptions.DEFAULT));
    try (Channel ch = rabbit.channel()) {
      GetResponse got = ch.basicGet(q("vision"), true);
      assertThat(got).isNotNull();
      assertThat(got.getProps().getDeliveryMode()).isEqualTo(2);
      assertThat(got.getProps().getContentType()).isEqualTo("application/json");
      assertThat(got.getProps().getMessageId()).isEqualTo("job-1:vision:2");
      assertThat(RabbitTestSupport.bodyItem(got.getBody())).isEqualTo(sent);
    }
  }

  @Test
  void aConsumerNeverHoldsMoreThanItsConcurrencyUnacked() throws Exception {
    List<Promise<Void>> open = new CopyOnWriteArrayList<>();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    Set<String> done = ConcurrentHashMap.newKeySet();
    StageConsumer consumer = Await.result(transport.consume("vision", 3, it -> {
      peak.accumulateAndGet(running.incrementAndGet(), Math::max);
      Promise<Void> p = Promise.promise();
      open.add(p);
      return p.future().andThen(ar -> {
        running.decrementAndGet();
        done.add(it.jobId());
      });
    }));
    for (int i = 0; i < 10; i++) {
      Await.result(transport.send("vision", item("vision", "job-" + i), SendOptions.DEFAULT));
    }
    Await.until("open.size() == 3", () -> open.size() == 3);
    // Nothing more may arrive: for 500 ms (room for a wrongly sent fourth delivery to show up), none does.
    Await.holdsFor(Duration.ofMillis(500), "no fourth delivery", () -> assertThat(open).hasSize(3));
    assertThat(consumer.inflight()).isEqualTo(3);
    assertThat(Await.result(transport.depth("vision"))).isEqualTo(10L); // 7 ready + 3 unacked

    // Completing handlers frees slots; keep completing whatever arrives until all ten are done.
    Await.until("all ten done", () -> {
      for (Promise<Void> p : open) {
        vertx.runOnContext(v -> p.tryComplete());
      }
      return done.size() >= 10;
    });
    assertThat(done).hasSize(10);
    assertThat(peak.get()).isEqualTo(3);
    Await.until("consumer.inflight() == 0", () -> consumer.inflight() == 0);
    Await.until("the queue drained", () -> Await.result(transport.depth("vision")) == 0L);
  }

  @Test
  void raisingTheConcurrencyLetsMoreDeliveriesIn() throws Exception {
    List<Promise<Void>> open = new CopyOnWriteArrayList<>();
    StageConsumer consumer = Await.result(transport.consume("vision", 2, it -> {
      Promise<Void> p = Promise.promise();
      open.add(p);
      return p.future();
    }));
    for (int i = 0; i < 10; i++) {
      Await.result(transport.send("vision", item("vision", "job-" + i), SendOptions.DEFAULT));
    }
    Await.until("open.size() == 2", () -> open.size() == 2);
    Await.holdsFor(Duration.ofMillis(300), "no third delivery", () -> assertThat(open).hasSize(2));
    consumer.setConcurrency(5);
    Await.until("open.size() == 5", () -> open.size() == 5);
    Await.holdsFor(Duration.ofMillis(300), "no sixth delivery", () -> assertThat(open).hasSize(5));
    assertThat(consumer.inflight()).isEqualTo(5);
  }

  @Test
  void anItemSurvivesAHandlerFailureAndIsRedelivered() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    Set<String> handled = ConcurrentHashMap.newKeySet();
    Await.result(transport.consume("vision", 1, it -> {
      if (attempts.incrementAndGet() == 1) {
        return Future.failedFuture(new IllegalStateException("engine fault"));
      }
      handled.add(it.jobId());
      return Future.succeededFuture();
    }));
    Await.result(transport.send("vision", item("vision", "job-x"), SendOptions.DEFAULT));
    Await.until("handled.contains(\"job-x\")", () -> handled.contains("job-x"));
    assertThat(attempts.get()).isEqualTo(2);
    Await.until("the queue drained", () -> Await.result(transport.depth("vision")) == 0L);
  }

  @Test
  void aDelayedSendWaitsInTheDelayQueueOfItsRungAndArrivesAfterItsDelay() throws Exception {
    AtomicLong arrivedAt = new AtomicLong();
    Await.result(transport.consume("vision", 4, it -> {
      arrivedAt.set(System.currentTimeMillis());
      return Future.succeededFuture();
    }));
    long sentAt = System.currentTimeMillis();
    // 1,500 ms rounds up to the rung 1,610 ms (… 1,331, 1,464, 1,610)
    long rung = DelayLadder.rungAtLeast(1500);
    assertThat(rung).isEqualTo(1610);
    Await.result(transport.send("vision", item("vision", "job-r").nextAttempt(), SendOptions.delayed(Duration.ofMillis(1500))));
    Await.until("the item in its delay queue", () -> rabbit.ready(q("vision.retry." + rung)) == 1);
    assertThat(arrivedAt.get()).isZero(); // held by the delay queue, not a consumer
    assertThat(Await.result(transport.depth("vision"))).isEqualTo(1L);
    Await.until("arrivedAt.get() != 0", () -> arrivedAt.get() != 0);
    assertThat(arrivedAt.get() - sentAt).isGreaterThanOrEqualTo(1500);
    assertThat(rabbit.ready(q("vision.retry." + rung))).isZero();
  }

  @Test
  void aShortRetryIsNotHeldBackByALongerOneQueuedBeforeIt() throws Exception {
    Map<String, Long> arrivedAt = new ConcurrentHashMap<>();
    Await.result(transport.consume("vision", 4, it -> {
      arrivedAt.put(it.jobId(), System.currentTimeMillis());
      return Future.succeededFuture();
    }));
    Await.result(transport.send("vision", item("vision", "job-long").nextAttempt(), SendOptions.delayed(Duration.ofMillis(4000))));
    long shortSentAt = System.currentTimeMillis();
    Await.result(transport.send("vision", item("vision", "job-short").nextAttempt(), SendOptions.delayed(Duration.ofMillis(300))));

    Await.until("the short retry arrived", () -> arrivedAt.containsKey("job-short"));
    // In one queue with per-message TTL the short one would wait at least until the long one expired.
    assertThat(arrivedAt).as("the 4 s retry is still waiting").doesNotContainKey("job-long");
    assertThat(arrivedAt.get("job-short") - shortSentAt).as("never early").isGreaterThanOrEqualTo(300);
    Await.until("the long retry arrived", () -> arrivedAt.containsKey("job-long"));
  }

  @Test
  void aDelayBeyondTheTopDelayQueueWaitsItsWholeTimeInHops() throws Exception {
    List<Long> arrivals = new CopyOnWriteArrayList<>();
    Await.result(transport.consume("rule", 4, it -> {
      arrivals.add(System.currentTimeMillis());
      return Future.succeededFuture();
    }));
    long sentAt = System.currentTimeMillis();
    // rule's delay queues go up to 1 s: 2.5 s is 1 s, then 1 s, then 500 ms
    Await.result(transport.send("rule", item("rule", "job-h").nextAttempt(), SendOptions.delayed(Duration.ofMillis(2500))));

    Await.until("the retry arrived", () -> !arrivals.isEmpty());
    assertThat(arrivals.get(0) - sentAt).as("the whole delay, not the top queue's").isGreaterThanOrEqualTo(2500);
    Await.holdsFor(Duration.ofMillis(300), "handed to the stage once", () -> assertThat(arrivals).hasSize(1));
  }

  @Test
  void admissionBeyondTheBacklogIsRefusedAndOtherSendsWaitForRoom() throws Exception {
    for (int i = 0; i < 3; i++) {
      Await.result(transport.send("rule", item("rule", "job-" + i), SendOptions.ADMISSION));
    }
    Throwable refused = Await.failure(transport.send("rule", item("rule", "job-3"), SendOptions.ADMISSION));
    assertThat(refused).isInstanceOf(BacklogFullException.class);
    assertThat(((BacklogFullException) refused).limit()).isEqualTo(3);
    assertThat(rabbit.ready(q("rule"))).isEqualTo(3);

    // A hand-off (not an admission) to the full stage waits instead of failing...
    Future<Void> handOff = transport.send("rule", item("rule", "job-4"), SendOptions.DEFAULT);
    Await.holdsFor(Duration.ofMillis(500), "the hand-off waiting", () -> assertThat(handOff.isComplete()).isFalse());
    // ...and goes through once a consumer makes room.
    Set<String> handled = ConcurrentHashMap.newKeySet();
    Await.result(transport.consume("rule", 10, it -> {
      handled.add(it.jobId());
      return Future.succeededFuture();
    }));
    Await.result(handOff);
    Await.until("four handled", () -> handled.size() == 4); // job-3 was refused
    assertThat(handled).doesNotContain("job-3");
  }

  @Test
  void concurrentAdmissionsCannotOvershootTheBacklog() {
    List<Future<Void>> sends = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      sends.add(transport.send("rule", item("rule", "job-" + i), SendOptions.ADMISSION));
    }
    long accepted = sends.stream().filter(f -> {
      try {
        Await.result(f);
        return true;
      } catch (BacklogFullException refused) {
        return false;
      }
    }).count();
    assertThat(accepted).isEqualTo(3);
  }

  @Test
  void deadLetterParksTheItemWithReasonAndAttempts() throws Exception {
    WorkItem failed = item("rule", "job-d").nextAttempt().nextAttempt();
    Await.result(transport.deadLetter("rule", failed, "rule lookup failed"));
    try (Channel ch = rabbit.channel()) {
      GetResponse got = ch.basicGet(q("rule.dlq"), true);
      assertThat(got).isNotNull();
      assertThat(got.getProps().getHeaders().get("x-reason").toString()).isEqualTo("rule lookup failed");
      assertThat(got.getProps().getHeaders().get("x-attempts")).isEqualTo(3);
      assertThat(got.getProps().getDeliveryMode()).isEqualTo(2);
      assertThat(RabbitTestSupport.bodyItem(got.getBody())).isEqualTo(failed);
    }
  }

  @Test
  void stopWaitsForInflightDeliveriesAndLeavesTheRestQueued() throws Exception {
    List<Promise<Void>> open = new CopyOnWriteArrayList<>();
    StageConsumer consumer = Await.result(transport.consume("vision", 2, it -> {
      Promise<Void> p = Promise.promise();
      open.add(p);
      return p.future();
    }));
    for (int i = 0; i < 5; i++) {
      Await.result(transport.send("vision", item("vision", "job-" + i), SendOptions.DEFAULT));
    }
    Await.until("open.size() == 2", () -> open.size() == 2);
    Future<Void> stopped = consumer.stop();
    Await.holdsFor(Duration.ofMillis(300), "stop waiting for the in-flight deliveries", () -> assertThat(stopped.isComplete()).isFalse());
    open.forEach(p -> vertx.runOnContext(v -> p.tryComplete()));
    Await.result(stopped);
    assertThat(open).hasSize(2);
    Await.until("the other three left queued", () -> rabbit.ready(q("vision")) == 3);
  }

  @Test
  void aPublishToADeletedQueueFailsInsteadOfVanishing() throws Exception {
    try (Channel ch = rabbit.channel()) {
      ch.queueDelete(q("vision.dlq"));
      ch.queueDelete(q("vision"));
    }
    // The broker confirms an unroutable message: only the mandatory flag's return tells us it went nowhere.
    assertThat(Await.failure(transport.deadLetter("vision", item("vision", "job-u"), "x")))
      .hasMessageContaining("unroutable");
    // A hand-off first reads the work queue's depth, which fails for a missing queue.
    assertThat(Await.failure(transport.send("vision", item("vision", "job-u"), SendOptions.DEFAULT)))
      .hasMessageContaining("NOT_FOUND");
  }

  @Test
  void unknownStagesAreRejected() {
    assertThat(Await.failure(transport.send("nope", item("nope", "j"), SendOptions.DEFAULT)))
      .isInstanceOf(IllegalArgumentException.class);
    assertThat(Await.failure(transport.depth("nope"))).isInstanceOf(IllegalArgumentException.class);
  }
}
