package io.eco2.engine.eventlog.redis;

import io.eco2.engine.eventlog.EventSubscription;
import io.eco2.engine.job.ProgressEvent;
import io.eco2.engine.job.ProgressUpdate;
import io.eco2.testkit.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live subscriptions across two instances (two API processes): one shared connection, and no event lost or
 * repeated when that connection or the pooled ones are killed.
 */
@ExtendWith(VertxExtension.class)
class RedisLiveEventsTest {


  private RedisTestSupport redis;
  private String readerName;
  private String writerName;
  private RedisEventLog reader;
  private RedisEventLog writer;

  @BeforeEach
  void setUp(Vertx vertx) {
    redis = new RedisTestSupport(vertx);
    readerName = RedisTestSupport.uniqueName("reader");
    writerName = RedisTestSupport.uniqueName("writer");
    // The reader's first reconnect waits 1 s: long enough to log events while it is surely down.
    reader = redis.start(redis.options(readerName).withReconnect(1000, 2000));
    writer = redis.start(redis.options(writerName));
  }

  @AfterEach
  void tearDown() {
    redis.close();
  }

  private ProgressEvent append(String job, String stage, String status) {
    return Await.result(writer.append(job, ProgressUpdate.of(stage, status, 0, null, 0)));
  }

  @Test
  void aSubscriberReceivesEventsAppendedByAnotherInstanceInOrder() throws InterruptedException {
    String job = UUID.randomUUID().toString();
    List<ProgressEvent> seen = Collections.synchronizedList(new ArrayList<>());
    EventSubscription sub = reader.subscribe(job, seen::add);
    List<ProgressEvent> appended = new ArrayList<>();
    appended.add(append(job, "queued", "completed"));
    for (String stage : List.of("vision", "rule", "answer", "reward")) {
      appended.add(append(job, stage, "started"));
      appended.add(append(job, stage, "completed"));
    }
    JsonObject body = new JsonObject().put("degraded", new JsonArray()).put("error", null);
    appended.add(Await.result(writer.append(job, ProgressUpdate.of("done", "completed", 100, body, 0))));

    Await.until("all events delivered", () -> seen.size() >= appended.size());
    assertThat(seen).containsExactlyElementsOf(appended);
    assertThat(seen.get(seen.size() - 1).result().getValue("degraded")).isInstanceOf(JsonArray.class);

    sub.cancel();
    append(job, "extra", "completed");
    append(UUID.randomUUID().toString(), "queued", "completed");
    // Nothing may arrive: for 200 ms (room for a wrong delivery to show), the cancelled subscription hears nothing.
    Await.holdsFor(Duration.ofMillis(200), "nothing delivered after cancel", () -> assertThat(seen).hasSize(appended.size()));
  }

  @Test
  void thousandsOfSubscriptionsShareOneConnection() throws InterruptedException {
    append(UUID.randomUUID().toString(), "queued", "completed");
    Await.result(reader.ping());
    int pooled = redis.clientIds(readerName).size();
    assertThat(redis.clientIds(readerName + "-live")).hasSize(1);

    Map<String, List<ProgressEvent>> seen = new ConcurrentHashMap<>();
    List<String> jobs = new ArrayList<>();
    List<EventSubscription> subs = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      String job = UUID.randomUUID().toString();
      jobs.add(job);
      subs.add(reader.subscribe(job, e -> seen.computeIfAbsent(e.jobId(), k -> new ArrayList<>()).add(e)));
    }
    // No connection may be added: for 200 ms while the subscriptions go out, the counts stay as they were.
    Await.holdsFor(Duration.ofMillis(200), "one live connection and no new pooled one", () -> {
      assertThat(redis.clientIds(readerName + "-live")).hasSize(1);
      assertThat(redis.clientIds(readerName)).hasSize(pooled);
    });

    for (String job : jobs.subList(0, 50)) {
      append(job, "queued", "completed");
    }
    Await.until("50 jobs heard from", () -> seen.size() == 50);
    assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(jobs.subList(0, 50));
    assertThat(seen.values()).allSatisfy(events -> assertThat(events).hasSize(1));
    assertThat(redis.clientIds(readerName + "-live")).hasSize(1);
    subs.forEach(EventSubscription::cancel);
  }

  @Test
  void eventsLoggedWhileTheLiveConnectionIsDownArriveAfterTheReconnectInOrderAndOnce() throws InterruptedException {
    String job = UUID.randomUUID().toString();
    String lateJob = UUID.randomUUID().toString();
    List<ProgressEvent> seen = Collections.synchronizedList(new ArrayList<>());
    List<ProgressEvent> lateSeen = Collections.synchronizedList(new ArrayList<>());
    reader.subscribe(job, seen::add);
    List<ProgressEvent> appended = new ArrayList<>();
    appended.add(append(job, "queued", "completed"));
    appended.add(append(job, "vision", "started"));
    Await.until("events before the outage delivered live", () -> seen.size() == 2);

    List<Long> live = redis.clientIds(readerName + "-live");
    assertThat(live).hasSize(1);
    redis.kill(live);
    Await.until("the reader notices the lost connection", () -> !reader.isLive());
    assertThat(Await.failure(reader.ping())).isNotNull();

    // Logged during the outage, for a job already watched and for one subscribed during the outage.
    appended.add(append(job, "vision", "completed"));
    appended.add(append(job, "rule", "started"));
    reader.subscribe(lateJob, lateSeen::add);
    ProgressEvent lateEvent = append(lateJob, "queued", "completed");
    assertThat(reader.isLive()).as("the events above were logged during the outage").isFalse();

    Await.until("the reader reconnects", reader::isLive);
    assertThat(redis.clientIds(readerName + "-live")).hasSize(1).doesNotContainAnyElementsOf(live);
    Await.result(reader.ping());
    appended.add(append(job, "rule", "completed"));
    appended.add(append(job, "done", "completed"));

    Await.until("every event delivered", () -> seen.size() >= appended.size());
    // No event may come twice: for 200 ms after the last one, nothing more arrives.
    Await.holdsFor(Duration.ofMillis(200), "no event delivered twice", () -> assertThat(List.copyOf(seen)).containsExactlyElementsOf(appended));
    Await.until("the job subscribed during the outage caught up", () -> lateSeen.size() >= 1);
    assertThat(lateSeen).containsExactly(lateEvent);
  }

  @Test
  void aSteadyStreamAcrossAnOutageIsDeliveredOnceInOrder() throws Exception {
    // Appends keep coming while the connection is down and while it re-subscribes and catches up, so
    // live events and the catch-up read overlap: the overlap must be delivered once.
    RedisEventLog quick = redis.start(redis.options(RedisTestSupport.uniqueName("quick")).withReconnect(20, 40));
    String job = UUID.randomUUID().toString();
    List<ProgressEvent> seen = Collections.synchronizedList(new ArrayList<>());
    quick.subscribe(job, seen::add);
    List<ProgressEvent> appended = Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    Thread producer = new Thread(() -> {
      for (int i = 0; !stop.get(); i++) {
        appended.add(Await.result(writer.append(job, ProgressUpdate.of("step", "retrying", 0, null, i))));
      }
    });
    producer.start();
    try {
      for (int outage = 0; outage < 5; outage++) {
        // Appends go on between outages: the spacing is the scenario, not a wait for anything.
        Thread.sleep(100);
        String liveName = quick.options().clientName() + "-live";
        List<Long> live = redis.clientIds(liveName);
        assertThat(live).hasSize(1);
        redis.kill(live);
        // The outage may be shorter than a poll: wait for a new connection rather than for isLive() to flip.
        Await.until("reconnected on a new connection", () -> {
          List<Long> now = redis.clientIds(liveName);
          return now.size() == 1 && !now.equals(live) && quick.isLive();
        });
      }
      // ... and after the last one, while the new connection catches up.
      Thread.sleep(100);
    } finally {
      stop.set(true);
      producer.join();
    }
    Await.until("every event delivered", () -> seen.size() >= appended.size());
    // No event may come twice: for 200 ms after the last one, nothing more arrives.
    Await.holdsFor(Duration.ofMillis(200), "no event delivered twice", () -> assertThat(List.copyOf(seen)).containsExactlyElementsOf(appended));
  }

  @Test
  void appendsWorkAgainAfterThePooledConnectionsAreKilled() {
    String job = UUID.randomUUID().toString();
    append(job, "queued", "completed");
    List<Long> pooled = redis.clientIds(writerName);
    assertThat(pooled).isNotEmpty();
    redis.kill(pooled);

    // A command on a connection that just died fails its future; the caller's retry gets a fresh one.
    // Whether or not the first attempt failed, the second (deduped when the first got through) succeeds.
    ProgressUpdate update = ProgressUpdate.of("vision", "started", 0, null, 0);
    Await.result(writer.append(job, update).otherwiseEmpty(), "first attempt ended, either way");
    ProgressEvent event = Await.result(writer.append(job, update));
    assertThat(event.seq()).isEqualTo(1);
    assertThat(Await.result(writer.readAfter(job, io.eco2.engine.eventlog.EventId.ZERO))).hasSize(2);
    assertThat(redis.clientIds(writerName)).isNotEmpty().doesNotContainAnyElementsOf(pooled);
  }
}
