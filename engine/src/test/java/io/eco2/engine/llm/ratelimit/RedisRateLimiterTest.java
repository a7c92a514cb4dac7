package io.eco2.engine.llm.ratelimit;

import io.eco2.testkit.Await;
import io.eco2.testkit.RedisScope;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis limiter against the local Redis (127.0.0.1:6379), as two processes would use it: two limiters,
 * each with its own client, on one key prefix unique to the test (deleted afterwards).
 */
@ExtendWith(VertxExtension.class)
class RedisRateLimiterTest {

  private final List<RedisRateLimiter> limiters = new ArrayList<>();
  private RedisScope redis;
  private String prefix;

  @BeforeEach
  void setUp(Vertx vertx) {
    redis = new RedisScope(vertx);
    prefix = redis.prefix();
  }

  @AfterEach
  void cleanUp() {
    for (RedisRateLimiter l : limiters) {
      Await.result(l.close(), "limiter closed");
    }
    redis.close();
  }

  private RedisRateLimiter limiter(Vertx vertx, RateLimits limits) {
    RedisRateLimiter l = new RedisRateLimiter(Redis.createClient(vertx,
      new RedisOptions().setConnectionString(RedisScope.DEFAULT_URL)), prefix, limits);
    limiters.add(l);
    return l;
  }

  @Test
  void twoProcessesShareOneRequestBudget(Vertx vertx) throws Exception {
    RateLimits limits = new RateLimits(5, 0, Duration.ofSeconds(30));
    RedisRateLimiter a = limiter(vertx, limits);
    RedisRateLimiter b = limiter(vertx, limits);
    List<Future<RateLimiter.Decision>> all = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      all.add((i % 2 == 0 ? a : b).tryReserve("gpt-x", 1));
    }
    Await.result(Future.all(all));
    long granted = all.stream().filter(f -> f.result().granted()).count();
    assertThat(granted).isEqualTo(5);
    for (Future<RateLimiter.Decision> f : all) {
      if (!f.result().granted()) {
        assertThat(f.result().waitMillis()).isBetween(1L, 30_000L);
      }
    }
    assertThat(Await.result(a.tryReserve("other-model", 1)).granted()).isTrue();
    assertThat(redis.cmd("EXISTS", a.key("gpt-x", "log")).toInteger()).isEqualTo(1);
    assertThat(a.key("gpt-x", "log")).isEqualTo(prefix + ":ratelimit:{gpt-x}:log");
  }

  @Test
  void tokensAreCorrectedFromUsageAcrossProcesses(Vertx vertx) throws Exception {
    RateLimits limits = new RateLimits(0, 1000, Duration.ofSeconds(30));
    RedisRateLimiter a = limiter(vertx, limits);
    RedisRateLimiter b = limiter(vertx, limits);
    RateLimiter.Decision first = Await.result(a.tryReserve("m", 600));
    assertThat(first.granted()).isTrue();
    assertThat(Await.result(b.tryReserve("m", 600)).granted()).isFalse();

    Await.result(a.correct(first.reservation(), 100));
    assertThat(Await.result(b.tryReserve("m", 600)).granted()).isTrue();
    assertThat(redis.cmd("GET", a.key("m", "tokens")).toLong()).isEqualTo(700);
    assertThat(Await.result(b.tryReserve("m", 400)).granted()).isFalse();
    // Oversized estimates are clamped to the budget.
    assertThat(Await.result(b.tryReserve("n", 5000)).reservation().tokens()).isEqualTo(1000);
  }

  @Test
  void aPauseSetByOneProcessHoldsTheOtherBack(Vertx vertx) throws Exception {
    RateLimits limits = RateLimits.perMinute(0, 0);
    RedisRateLimiter a = limiter(vertx, limits);
    RedisRateLimiter b = limiter(vertx, limits);
    assertThat(Await.result(b.tryReserve("m", 1)).granted()).isTrue();
    Await.result(a.pause("m", Duration.ofSeconds(5)));
    RateLimiter.Decision d = Await.result(b.tryReserve("m", 1));
    assertThat(d.granted()).isFalse();
    assertThat(d.waitMillis()).isBetween(4000L, 5000L);
  }

  @Test
  void waitingGatesOnTwoProcessesNeverExceedTheLimitInAnyWindow(Vertx vertx) throws Exception {
    RateLimits limits = new RateLimits(4, 0, Duration.ofMillis(500));
    RateLimitGate ga = new RateLimitGate(vertx, limiter(vertx, limits), Duration.ofSeconds(10), new SimpleMeterRegistry());
    RateLimitGate gb = new RateLimitGate(vertx, limiter(vertx, limits), Duration.ofSeconds(10), new SimpleMeterRegistry());
    // Grant times as Redis took them (the clock the limit is kept on): times seen locally in the callbacks
    // would add this machine's scheduling delays to the limiter's decisions.
    List<Long> grantTimes = new CopyOnWriteArrayList<>();
    List<Future<?>> all = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      all.add((i % 2 == 0 ? ga : gb).acquire("m", 1, Promise.<Void>promise().future())
        .onSuccess(r -> grantTimes.add(r.grantedAtMillis())));
    }
    long start = System.nanoTime();
    Await.result(Future.all(all));
    // 16 grants at 4 per 500 ms need at least three full windows after the first.
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(1500);
    List<Long> sorted = grantTimes.stream().sorted().toList();
    long window = 500;
    int max = 0;
    for (int i = 0, j = 0; i < sorted.size(); i++) {
      while (sorted.get(i) - sorted.get(j) >= window) {
        j++;
      }
      max = Math.max(max, i - j + 1);
    }
    assertThat(max).isLessThanOrEqualTo(4);
  }
}
