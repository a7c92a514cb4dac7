package io.eco2.engine.llm.ratelimit;

import io.eco2.engine.stage.StageFailure;
import io.eco2.testkit.Await;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Calls over budget wait on timers, bounded, and are measured. */
@ExtendWith(VertxExtension.class)
class RateLimitGateTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void callsOverBudgetWaitForRoomInsteadOfFailing(Vertx vertx) throws Exception {
    RateLimitGate gate = new RateLimitGate(vertx,
      new SlidingWindowLimiter(new RateLimits(2, 0, Duration.ofSeconds(2))), Duration.ofSeconds(15), registry);
    long start = System.nanoTime();
    List<Future<RateLimiter.Reservation>> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      all.add(gate.acquire("m", 1, Promise.<Void>promise().future()));
    }
    long issuedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + 1;
    // A two-second window: long enough that the three are still waiting when a loaded machine looks.
    Await.until("three calls waiting", () -> gate.waiting("m") == 3);
    assertThat(gate.waiting("m")).isEqualTo(3);
    assertThat(registry.get("llm.quota.waiting").tag("model", "m").gauge().value()).isEqualTo(3.0);

    Await.result(Future.all(all));
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    // 5 grants at 2 per 2 s: the fifth needs two windows to have passed.
    assertThat(elapsedMs).isGreaterThanOrEqualTo(4000);
    assertThat(gate.waiting("m")).isZero();
    assertThat(registry.get("llm.quota.wait").tag("model", "m").timer().count()).isEqualTo(5);
    // The fifth asked at most issuedMs after the first grants and is granted two windows after them.
    assertThat(registry.get("llm.quota.wait").tag("model", "m").timer().max(TimeUnit.MILLISECONDS))
      .isGreaterThanOrEqualTo(4000.0 - issuedMs);
  }

  @Test
  void aWaitBeyondMaxWaitFailsRetryablyWithTheRemainingWaitAsRetryAfter(Vertx vertx) throws Exception {
    RateLimitGate gate = new RateLimitGate(vertx,
      new SlidingWindowLimiter(new RateLimits(1, 0, Duration.ofSeconds(10))), Duration.ofMillis(200), registry);
    Await.result(gate.acquire("m", 1, Promise.<Void>promise().future()));
    long start = System.nanoTime();
    Throwable err = Await.failure(gate.acquire("m", 1, Promise.<Void>promise().future()));
    // It waited as long as it was allowed to before giving up.
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(200);
    assertThat(gate.waiting("m")).isZero();
    assertThat(err).isInstanceOf(StageFailure.class);
    StageFailure f = (StageFailure) err;
    assertThat(f.code()).isEqualTo(RateLimitGate.QUOTA_WAIT_EXCEEDED);
    assertThat(f.retryable()).isTrue();
    assertThat(f.retryAfter()).isGreaterThan(Duration.ofSeconds(9));
    assertThat(f.getMessage()).contains("llm.rate-limit.max-wait-ms");
  }

  @Test
  void cancellingAWaitingCallEndsItAndLeavesNothingCounted(Vertx vertx) throws Exception {
    SlidingWindowLimiter limiter = new SlidingWindowLimiter(new RateLimits(1, 0, Duration.ofSeconds(10)));
    RateLimitGate gate = new RateLimitGate(vertx, limiter, Duration.ofSeconds(30), registry);
    Await.result(gate.acquire("m", 1, Promise.<Void>promise().future()));
    Promise<Void> cancel = Promise.promise();
    Future<RateLimiter.Reservation> waiting = gate.acquire("m", 1, cancel.future());
    Await.until("the call waiting", () -> gate.waiting("m") == 1);
    cancel.complete();
    Throwable err = Await.failure(waiting);
    assertThat(((StageFailure) err).code()).isEqualTo(RateLimitGate.CANCELLED);
    assertThat(gate.waiting("m")).isZero();
  }

  @Test
  void aLimiterThatCannotAnswerFailsTheCallRetryably(Vertx vertx) throws Exception {
    RateLimiter broken = new RateLimiter() {
      @Override
      public Future<Decision> tryReserve(String model, long tokens) {
        return Future.failedFuture("connection refused");
      }

      @Override
      public Future<Void> correct(Reservation reservation, long actualTokens) {
        return Future.succeededFuture();
      }

      @Override
      public Future<Void> pause(String model, Duration duration) {
        return Future.succeededFuture();
      }

      @Override
      public RateLimits limits() {
        return RateLimits.perMinute(1, 0);
      }
    };
    Throwable err = Await.failure(new RateLimitGate(vertx, broken, Duration.ofSeconds(1), registry)
      .acquire("m", 1, Promise.<Void>promise().future()));
    assertThat(((StageFailure) err).code()).isEqualTo(RateLimitGate.QUOTA_UNAVAILABLE);
    assertThat(((StageFailure) err).retryable()).isTrue();
  }


}
