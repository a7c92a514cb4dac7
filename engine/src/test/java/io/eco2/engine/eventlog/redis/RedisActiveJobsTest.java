package io.eco2.engine.eventlog.redis;

import io.eco2.engine.eventlog.ActiveJobs;
import io.eco2.engine.job.ProgressUpdate;
import io.eco2.testkit.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The watchdog's view of the Redis log: the set of jobs not ended, and the sweep lease. */
@ExtendWith(VertxExtension.class)
class RedisActiveJobsTest {

  private RedisTestSupport redis;
  private RedisEventLog log;
  private ActiveJobs active;

  @BeforeEach
  void setUp(Vertx vertx) {
    redis = new RedisTestSupport(vertx);
    log = redis.start(redis.options(RedisTestSupport.uniqueName("active")));
    active = log.activeJobs();
  }

  @AfterEach
  void tearDown() {
    redis.close();
  }

  private void transition(String job, long expected, String stage, String status) {
    Await.result(log.transition(job, expected, List.of(ProgressUpdate.of(stage, status, 0, null, 0)), null, System.currentTimeMillis()));
  }

  @Test
  void aJobIsActiveFromItsFirstEventUntilItsTerminalOne() {
    String job = UUID.randomUUID().toString();
    transition(job, 0, "queued", "completed");
    transition(job, 1, "vision", "started");
    assertThat(Await.result(active.watchedBefore(Long.MAX_VALUE, 10))).containsExactly(job);

    transition(job, 2, "error", "failed");
    assertThat(Await.result(active.watchedBefore(Long.MAX_VALUE, 10))).isEmpty();
    Await.result(active.watchFrom(job, 1));
    assertThat(Await.result(active.watchedBefore(Long.MAX_VALUE, 10))).as("an ended job is not watched again").isEmpty();
  }

  @Test
  void theJobsWatchedLongestComeFirstAndASweepTakesAtMostItsLimit() {
    String a = UUID.randomUUID().toString();
    String b = UUID.randomUUID().toString();
    String c = UUID.randomUUID().toString();
    for (String job : List.of(a, b, c)) {
      transition(job, 0, "queued", "completed");
    }
    Await.result(active.watchFrom(a, 300));
    Await.result(active.watchFrom(b, 100));
    Await.result(active.watchFrom(c, 200));

    assertThat(Await.result(active.watchedBefore(250, 10))).containsExactly(b, c);
    assertThat(Await.result(active.watchedBefore(Long.MAX_VALUE, 2))).containsExactly(b, c);
  }

  @Test
  void onlyOneHolderHasTheLeaseUntilItLapses() {
    Duration ttl = Duration.ofMillis(300);
    assertThat(Await.result(active.lease("first", ttl))).isTrue();
    assertThat(Await.result(active.lease("second", ttl))).as("held by first").isFalse();
    assertThat(Await.result(active.lease("first", ttl))).as("first renews").isTrue();

    Await.until("the lease lapses and second takes it", () -> Await.result(active.lease("second", ttl)));
    assertThat(Await.result(active.lease("first", ttl))).as("held by second now").isFalse();
  }

  @Test
  void redrivesAreCountedPerJobAndExpireWithIt() {
    String job = UUID.randomUUID().toString();
    assertThat(Await.result(active.countRedrive(job))).isEqualTo(1);
    assertThat(Await.result(active.countRedrive(job))).isEqualTo(2);
    long pttl = redis.cmd(io.vertx.redis.client.Command.PTTL, redis.prefix + ":redrives:" + job).toLong();
    assertThat(pttl).isPositive().isLessThanOrEqualTo(log.options().ttl().toMillis());
  }

  @Test
  void theInputOfAJobIsKeptBesideItsEvents() {
    String job = UUID.randomUUID().toString();
    JsonObject input = new JsonObject().put("image_url", "https://example.com/a.jpg");
    Await.result(log.putInput(job, input));
    assertThat(Await.result(log.input(job))).isEqualTo(input);
  }
}
