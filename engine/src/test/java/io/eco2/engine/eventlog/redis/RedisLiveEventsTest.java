package io.eco2.engine.eventlog.redis;

import io.eco2.engine.eventlog.EventSubscription;
import io.eco2.engine.job.ProgressEvent;
import io.eco2.engine.job.ProgressUpdate;
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

import static io.eco2.engine.eventlog.redis.RedisTestSupport.await;
import static io.eco2.engine.eventlog.redis.RedisTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live subscriptions across two instances (two API processes): one shared connection, and no event lost or
 * repeated when that connection or the pooled ones are killed.
 */
@ExtendWith(VertxExtension.class)
class RedisLiveEventsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

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
    return await(writer.append(job, ProgressUpdate.of(stage, status, 0, null, 0)));
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
    appended.add(await(writer.append(job, ProgressUpdate.of("done", "completed", 100, body, 0))));

    eventually(WAIT, () -> seen.size() >= appended.size(), "all events delivered");
    assertThat(seen).containsExactlyElementsOf(appended);
    assertThat(seen.get(seen.size() - 1).result().getValue("degraded")).isInstanceOf(JsonArray.class);

    sub.cancel();
    append(job, "extra", "completed");
    append(UUID.randomUUID().toString(), "queued", "completed");
    Thread.sleep(200);
    assertThat(seen).hasSize(appended.size());
  }

  @Test
  void thousandsOfSubscriptionsShareOneConnection() throws InterruptedException {
    append(UUID.randomUUID().toString(), "queued", "completed");
    await(reader.ping());
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
    Thread.sleep(100);
    assertThat(redis.clientIds(readerName + "-live")).hasSize(1);
    assertThat(redis.clientIds(readerName)).hasSize(pooled);

    for (String job : jobs.subList(0, 50)) {
      append(job, "queued", "completed");
    }
    eventually(WAIT, () -> seen.size() == 50, "50 jobs heard from");
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
    eventually(WAIT, () -> seen.size() == 2, "events before the outage delivered live");

    List<Long> live = redis.clientIds(readerName + "-live");
    assertThat(live).hasSize(1);
    redis.kill(live);
    eventually(WAIT, () -> !reader.isLive(), "the reader notices the lost connection");
    assertThat(RedisTestSupport.failure(reader.ping())).isNotNull();

    // Logged during the outage, for a job already watched and for one subscribed during the outage.
    appended.add(append(job, "vision", "completed"));
    appended.add(append(job, "rule", "started"));
    reader.subscribe(lateJob, lateSeen::add);
    ProgressEvent lateEvent = append(lateJob, "queued", "completed");
    assertThat(reader.isLive()).as("the events above were logged during the outage").isFalse();

    eventually(WAIT, reader::isLive, "the reader reconnects");
    assertThat(redis.clientIds(readerName + "-live")).hasSize(1).doesNotContainAnyElementsOf(live);
    await(reader.ping());
    appended.add(append(job, "rule", "completed"));
    appended.add(append(job, "done", "completed"));

    eventually(WAIT, () -> seen.size() >= appended.size(), "every event delivered");
    Thread.sleep(200);
    assertThat(seen).containsExactlyElementsOf(appended);
    eventually(WAIT, () -> lateSeen.size() >= 1, "the job subscribed during the outage caught up");
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
        appended.add(await(writer.append(job, ProgressUpdate.of("step", "retrying", 0, null, i))));
      }
    });
    producer.start();
    try {
      for (int outage = 0; outage < 5; outage++) {
        Thread.sleep(100);
        String liveName = quick.options().clientName() + "-live";
        List<Long> live = redis.clientIds(liveName);
        assertThat(live).hasSize(1);
        redis.kill(live);
        // The outage may be shorter than a poll: wait for a new connection rather than for isLive() to flip.
        eventually(WAIT, () -> {
          List<Long> now = redis.clientIds(liveName);
          return now.size() == 1 && !now.equals(live) && quick.isLive();
        }, "reconnected on a new connection");
      }
      Thread.sleep(100);
    } finally {
      stop.set(true);
      producer.join();
    }
    eventually(WAIT, () -> seen.size() >= appended.size(), "every event delivered");
    Thread.sleep(200);
    assertThat(seen).containsExactlyElementsOf(appended);
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
    RedisTestSupport.failure(writer.append(job, update));
    ProgressEvent event = await(writer.append(job, update));
    assertThat(event.seq()).isEqualTo(1);
    assertThat(await(writer.readAfter(job, io.eco2.engine.eventlog.EventId.ZERO))).hasSize(2);
    assertThat(redis.clientIds(writerName)).isNotEmpty().doesNotContainAnyElementsOf(pooled);
  }
}
