package io.eco2.engine.runtime;

import io.eco2.engine.transport.WorkItem;
import io.eco2.testkit.Await;
import io.eco2.testkit.RedisScope;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivery count against the local Redis, as two worker processes share it: two counters with clients
 * of their own count one attempt together, per job, stage and attempt, and every count expires.
 */
@ExtendWith(VertxExtension.class)
class RedisDeliveryCounterTest {

  private RedisScope redis;
  private RedisScope otherProcess;
  private RedisDeliveryCounter one;
  private RedisDeliveryCounter other;

  @BeforeEach
  void setUp(Vertx vertx) {
    redis = new RedisScope(vertx);
    one = new RedisDeliveryCounter(redis.client(), redis.prefix(), Duration.ofMinutes(10));
    otherProcess = new RedisScope(vertx, redis.prefix());
    other = new RedisDeliveryCounter(otherProcess.client(), redis.prefix(), Duration.ofMinutes(10));
  }

  @AfterEach
  void tearDown() {
    otherProcess.close();
    redis.close();
  }

  private static WorkItem item(String job, String stage, int attempt) {
    return new WorkItem(job, stage, attempt, 0, null, null);
  }

  @Test
  void redeliveriesOfOneAttemptAreCountedOverEveryWorkerFromTheSecondDelivery() {
    assertThat(Await.result(one.redelivered(item("j", "vision", 0)))).isEqualTo(2);
    assertThat(Await.result(other.redelivered(item("j", "vision", 0)))).isEqualTo(3);
    assertThat(Await.result(one.redelivered(item("j", "vision", 0)))).isEqualTo(4);
  }

  @Test
  void anotherAttemptStageOrJobCountsFromTheStart() {
    Await.result(one.redelivered(item("j", "vision", 0)));
    assertThat(Await.result(one.redelivered(item("j", "vision", 1)))).isEqualTo(2);
    assertThat(Await.result(one.redelivered(item("j", "rule", 0)))).isEqualTo(2);
    assertThat(Await.result(one.redelivered(item("k", "vision", 0)))).isEqualTo(2);
  }

  @Test
  void aCountExpiresWithTheJobsEvents() {
    Await.result(one.redelivered(item("j", "vision", 0)));
    Await.result(one.redelivered(item("j", "vision", 0)));
    long ttl = redis.cmd("PTTL", one.key(item("j", "vision", 0))).toLong();
    assertThat(ttl).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(10).toMillis());
  }
}
