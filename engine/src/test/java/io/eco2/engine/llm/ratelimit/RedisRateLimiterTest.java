package io.eco2.engine.llm.ratelimit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.eco2.engine.llm.ratelimit.RateLimitGateTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis limiter against the local Redis (127.0.0.1:6379), as two processes would use it: two limiters,
 * each with its own client, on one key prefix unique to the test (deleted afterwards).
 */
@ExtendWith(VertxExtension.class)
class RedisRateLimiterTest {

  private final String prefix = "test-" + UUID.randomUUID();
  private final List<RedisRateLimiter> limiters = new ArrayList<>();
  private Redis admin;

  @BeforeEach
  void setUp(Vertx vertx) {
    admin = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:6379"));
  }

  @AfterEach
  void cleanUp() throws Exception {
    RedisAPI api = RedisAPI.api(admin);
    List<String> keys = new ArrayList<>();
    await(api.keys(prefix + ":*")).forEach(k -> keys.add(k.toString()));
    if (!keys.isEmpty()) {
      await(api.del(keys));
    }
    for (RedisRateLimiter l : limiters) {
      await(l.close());
    }
    admin.close();
  }

  private RedisRateLimiter limiter(Vertx vertx, RateLimits limits) {
    RedisRateLimiter l = new RedisRateLimiter(Redis.createClient(vertx,
      new RedisOptions().setConnectionString("redis://127.0.0.1:6379")), prefix, limits);
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
    await(Future.all(all));
    long granted = all.stream().filter(f -> f.result().granted()).count();
    assertThat(granted).isEqualTo(5);
    for (Future<RateLimiter.Decision> f : all) {
      if (!f.result().granted()) {
        assertThat(f.result().waitMillis()).isBetween(1L, 30_000L);
      }
    }
    assertThat(await(a.tryReserve("other-model", 1)).granted()).isTrue();
    assertThat(await(RedisAPI.api(admin).exists(List.of(a.key("gpt-x", "log")))).toInteger()).isEqualTo(1);
    assertThat(a.key("gpt-x", "log")).isEqualTo(prefix + ":ratelimit:{gpt-x}:log");
  }

  @Test
  void tokensAreCorrectedFromUsageAcrossProcesses(Vertx vertx) throws Exception {
    RateLimits limits = new RateLimits(0, 1000, Duration.ofSeconds(30));
    RedisRateLimiter a = limiter(vertx, limits);
    RedisRateLimiter b = limiter(vertx, limits);
    RateLimiter.Decision first = await(a.tryReserve("m", 600));
    assertThat(first.granted()).isTrue();
    assertThat(await(b.tryReserve("m", 600)).granted()).isFalse();

    await(a.correct(first.reservation(), 100));
    assertThat(await(b.tryReserve("m", 600)).granted()).isTrue();
    assertThat(await(RedisAPI.api(admin).get(a.key("m", "tokens"))).toLong()).isEqualTo(700);
    assertThat(await(b.tryReserve("m", 400)).granted()).isFalse();
    // Oversized estimates are clamped to the budget.
    assertThat(await(b.tryReserve("n", 5000)).reservation().tokens()).isEqualTo(1000);
  }

  @Test
  void aPauseSetByOneProcessHoldsTheOtherBack(Vertx vertx) throws Exception {
    RateLimits limits = RateLimits.perMinute(0, 0);
    RedisRateLimiter a = limiter(vertx, limits);
    RedisRateLimiter b = limiter(vertx, limits);
    assertThat(await(b.tryReserve("m", 1)).granted()).isTrue();
    await(a.pause("m", Duration.ofSeconds(5)));
    RateLimiter.Decision d = await(b.tryReserve("m", 1));
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
    await(Future.all(all));
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
