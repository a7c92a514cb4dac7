package io.eco2.engine.transport.rabbitmq;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.eco2.engine.transport.BacklogFullException;
import io.eco2.engine.transport.SendOptions;
import io.eco2.engine.transport.StageConsumer;
import io.eco2.engine.transport.WorkItem;
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

import static io.eco2.engine.transport.rabbitmq.RabbitTestSupport.await;
import static io.eco2.engine.transport.rabbitmq.RabbitTestSupport.awaitFailure;
import static io.eco2.engine.transport.rabbitmq.RabbitTestSupport.eventually;
import static io.eco2.engine.transport.rabbitmq.RabbitTestSupport.item;
import static org.assertj.core.api.Assertions.assertThat;

/** Against the local RabbitMQ (127.0.0.1:5672): topology, flow control, retries, admission, dead letters. */
@ExtendWith(VertxExtension.class)
class RabbitMqTransportTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

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
    transport = new RabbitMqTransport(vertx, rabbit.options(backlogs));
    await(transport.start());
  }

  @AfterEach
  void tearDown() throws Exception {
    await(transport.close());
    rabbit.deleteQueues(transport.queueNames());
    rabbit.close();
  }

  private String q(String suffix) {
    return rabbit.prefix + "." + suffix;
  }

  @Test
  void declaresWorkRetryAndDeadLetterQueuesForEveryStage() throws Exception {
    assertThat(transport.queueNames()).containsExactlyInAnyOrder(q("vision"), q("vision.retry"), q("vision.dlq"),
      q("rule"), q("rule.retry"), q("rule.dlq"));
    for (String queue : transport.queueNames()) {
      assertThat(rabbit.ready(queue)).as(queue).isZero(); // a passive declare: fails (404) if missing
    }
    // Re-declaring with the arguments we expect must succeed; a mismatch would be a 406 and throw here.
    try (Channel ch = rabbit.channel()) {
      ch.queueDeclare(q("rule.retry"), true, false, false,
        Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", q("rule")));
      ch.queueDeclare(q("rule"), true, false, false, null);
    }
  }

  @Test
  void messagesArePersistentJsonWithJobStageAttemptAsId() throws Exception {
    WorkItem sent = new WorkItem("job-1", "vision", 2, 42L, new io.vertx.core.json.JsonObject().put("a", 1), null);
    await(transport.send("vision", sent, SendOptions.DEFAULT));
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
    StageConsumer consumer = await(transport.consume("vision", 3, it -> {
      peak.accumulateAndGet(running.incrementAndGet(), Math::max);
      Promise<Void> p = Promise.promise();
      open.add(p);
      return p.future().andThen(ar -> {
        running.decrementAndGet();
        done.add(it.jobId());
      });
    }));
    for (int i = 0; i < 10; i++) {
      await(transport.send("vision", item("vision", "job-" + i), SendOptions.DEFAULT));
    }
    eventually(WAIT, () -> open.size() == 3);
    Thread.sleep(500); // room for a wrongly sent fourth delivery to show up
    assertThat(open).hasSize(3);
    assertThat(consumer.inflight()).isEqualTo(3);
    assertThat(await(transport.depth("vision"))).isEqualTo(10L); // 7 ready + 3 unacked

    // Completing handlers frees slots; keep completing whatever arrives until all ten are done.
    long deadline = System.currentTimeMillis() + WAIT.toMillis();
    while (done.size() < 10 && System.currentTimeMillis() < deadline) {
      for (Promise<Void> p : open) {
        vertx.runOnContext(v -> p.tryComplete());
      }
      Thread.sleep(20);
    }
    assertThat(done).hasSize(10);
    assertThat(peak.get()).isEqualTo(3);
    eventually(WAIT, () -> consumer.inflight() == 0);
    eventually(WAIT, () -> await(transport.depth("vision")) == 0L);
  }

  @Test
  void raisingTheConcurrencyLetsMoreDeliveriesIn() throws Exception {
    List<Promise<Void>> open = new CopyOnWriteArrayList<>();
    StageConsumer consumer = await(transport.consume("vision", 2, it -> {
      Promise<Void> p = Promise.promise();
      open.add(p);
      return p.future();
    }));
    for (int i = 0; i < 10; i++) {
      await(transport.send("vision", item("vision", "job-" + i), SendOptions.DEFAULT));
    }
    eventually(WAIT, () -> open.size() == 2);
    Thread.sleep(300);
    assertThat(open).hasSize(2);
    consumer.setConcurrency(5);
    eventually(WAIT, () -> open.size() == 5);
    Thread.sleep(300);
    assertThat(open).hasSize(5);
    assertThat(consumer.inflight()).isEqualTo(5);
  }

  @Test
  void anItemSurvivesAHandlerFailureAndIsRedelivered() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    Set<String> handled = ConcurrentHashMap.newKeySet();
    await(transport.consume("vision", 1, it -> {
      if (attempts.incrementAndGet() == 1) {
        return Future.failedFuture(new IllegalStateException("engine fault"));
      }
      handled.add(it.jobId());
      return Future.succeededFuture();
    }));
    await(transport.send("vision", item("vision", "job-x"), SendOptions.DEFAULT));
    eventually(WAIT, () -> handled.contains("job-x"));
    assertThat(attempts.get()).isEqualTo(2);
    eventually(WAIT, () -> await(transport.depth("vision")) == 0L);
  }

  @Test
  void aDelayedSendWaitsInTheRetryQueueAndArrivesAfterItsDelay() throws Exception {
    AtomicLong arrivedAt = new AtomicLong();
    await(transport.consume("vision", 4, it -> {
      arrivedAt.set(System.currentTimeMillis());
      return Future.succeededFuture();
    }));
    long sentAt = System.currentTimeMillis();
    await(transport.send("vision", item("vision", "job-r").nextAttempt(), SendOptions.delayed(Duration.ofMillis(1500))));
    Thread.sleep(300);
    assertThat(rabbit.ready(q("vision.retry"))).isEqualTo(1); // held by the retry queue, not a consumer
    assertThat(arrivedAt.get()).isZero();
    assertThat(await(transport.depth("vision"))).isEqualTo(1L);
    eventually(WAIT, () -> arrivedAt.get() != 0);
    assertThat(arrivedAt.get() - sentAt).isGreaterThanOrEqualTo(1500);
    assertThat(rabbit.ready(q("vision.retry"))).isZero();
  }

  @Test
  void admissionBeyondTheBacklogIsRefusedAndOtherSendsWaitForRoom() throws Exception {
    for (int i = 0; i < 3; i++) {
      await(transport.send("rule", item("rule", "job-" + i), SendOptions.ADMISSION));
    }
    Throwable refused = awaitFailure(transport.send("rule", item("rule", "job-3"), SendOptions.ADMISSION));
    assertThat(refused).isInstanceOf(BacklogFullException.class);
    assertThat(((BacklogFullException) refused).limit()).isEqualTo(3);
    assertThat(rabbit.ready(q("rule"))).isEqualTo(3);

    // A hand-off (not an admission) to the full stage waits instead of failing...
    Future<Void> handOff = transport.send("rule", item("rule", "job-4"), SendOptions.DEFAULT);
    Thread.sleep(500);
    assertThat(handOff.isComplete()).isFalse();
    // ...and goes through once a consumer makes room.
    Set<String> handled = ConcurrentHashMap.newKeySet();
    await(transport.consume("rule", 10, it -> {
      handled.add(it.jobId());
      return Future.succeededFuture();
    }));
    await(handOff);
    eventually(WAIT, () -> handled.size() == 4); // job-3 was refused
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
        await(f);
        return true;
      } catch (AssertionError e) {
        assertThat(e.getCause().getCause()).isInstanceOf(BacklogFullException.class);
        return false;
      }
    }).count();
    assertThat(accepted).isEqualTo(3);
  }

  @Test
  void deadLetterParksTheItemWithReasonAndAttempts() throws Exception {
    WorkItem failed = item("rule", "job-d").nextAttempt().nextAttempt();
    await(transport.deadLetter("rule", failed, "rule lookup failed"));
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
    StageConsumer consumer = await(transport.consume("vision", 2, it -> {
      Promise<Void> p = Promise.promise();
      open.add(p);
      return p.future();
    }));
    for (int i = 0; i < 5; i++) {
      await(transport.send("vision", item("vision", "job-" + i), SendOptions.DEFAULT));
    }
    eventually(WAIT, () -> open.size() == 2);
    Future<Void> stopped = consumer.stop();
    Thread.sleep(300);
    assertThat(stopped.isComplete()).isFalse();
    open.forEach(p -> vertx.runOnContext(v -> p.tryComplete()));
    await(stopped);
    assertThat(open).hasSize(2);
    eventually(WAIT, () -> {
      try {
        return rabbit.ready(q("vision")) == 3;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  void aPublishToADeletedQueueFailsInsteadOfVanishing() throws Exception {
    try (Channel ch = rabbit.channel()) {
      ch.queueDelete(q("vision.dlq"));
      ch.queueDelete(q("vision"));
    }
    // The broker confirms an unroutable message: only the mandatory flag's return tells us it went nowhere.
    assertThat(awaitFailure(transport.deadLetter("vision", item("vision", "job-u"), "x")))
      .hasMessageContaining("unroutable");
    // A hand-off first reads the work queue's depth, which fails for a missing queue.
    assertThat(awaitFailure(transport.send("vision", item("vision", "job-u"), SendOptions.DEFAULT)))
      .hasMessageContaining("NOT_FOUND");
  }

  @Test
  void unknownStagesAreRejected() {
    assertThat(awaitFailure(transport.send("nope", item("nope", "j"), SendOptions.DEFAULT)))
      .isInstanceOf(IllegalArgumentException.class);
    assertThat(awaitFailure(transport.depth("nope"))).isInstanceOf(IllegalArgumentException.class);
  }
}
