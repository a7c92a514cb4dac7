package io.eco2.engine.llm.ratelimit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-process sliding log: reservation arithmetic on a hand-driven clock. */
class SlidingWindowLimiterTest {

  private final AtomicLong now = new AtomicLong(1_000_000);

  private SlidingWindowLimiter limiter(long requests, long tokens) {
    return new SlidingWindowLimiter(new RateLimits(requests, tokens, Duration.ofSeconds(60)), now::get);
  }

  @Test
  void requestsBeyondTheLimitWaitUntilTheOldestGrantLeavesTheWindow() {
    SlidingWindowLimiter l = limiter(3, 0);
    assertThat(l.decide("m", 10).granted()).isTrue();
    now.addAndGet(10_000);
    assertThat(l.decide("m", 10).granted()).isTrue();
    assertThat(l.decide("m", 10).granted()).isTrue();

    RateLimiter.Decision denied = l.decide("m", 10);
    assertThat(denied.granted()).isFalse();
    assertThat(denied.waitMillis()).isEqualTo(50_000);
    // Another model has its own budget.
    assertThat(l.decide("other", 10).granted()).isTrue();

    now.addAndGet(49_999);
    assertThat(l.decide("m", 10).waitMillis()).isEqualTo(1);
    now.addAndGet(1);
    assertThat(l.decide("m", 10).granted()).isTrue();
    assertThat(l.decide("m", 10).granted()).isFalse();
  }

  @Test
  void tokensAreReservedFromTheEstimateAndCorrectedFromUsage() {
    SlidingWindowLimiter l = limiter(0, 1000);
    RateLimiter.Decision first = l.decide("m", 600);
    assertThat(first.granted()).isTrue();
    now.addAndGet(5_000);
    RateLimiter.Decision second = l.decide("m", 600);
    assertThat(second.granted()).isFalse();
    assertThat(second.waitMillis()).isEqualTo(55_000);

    // The call used 150 tokens, not the 600 reserved: the difference is back in the budget.
    l.correct(first.reservation(), 150);
    assertThat(l.tokensInWindow("m")).isEqualTo(150);
    assertThat(l.decide("m", 600).granted()).isTrue();
    assertThat(l.tokensInWindow("m")).isEqualTo(750);

    // A correction upwards takes from the budget too.
    RateLimiter.Decision third = l.decide("m", 100);
    l.correct(third.reservation(), 250);
    assertThat(l.tokensInWindow("m")).isEqualTo(1000);
    assertThat(l.decide("m", 1).granted()).isFalse();
  }

  @Test
  void theTokenWaitIsUntilEnoughOfTheOldestGrantsHaveLeft() {
    SlidingWindowLimiter l = limiter(0, 1000);
    l.decide("m", 300);
    now.addAndGet(1_000);
    l.decide("m", 300);
    now.addAndGet(1_000);
    l.decide("m", 300);
    // 900 held; 500 more needs the first two grants (600) gone: the second leaves at 1 s + 60 s.
    assertThat(l.decide("m", 500).waitMillis()).isEqualTo(59_000);
  }

  @Test
  void anEstimateLargerThanTheWholeBudgetReservesTheBudgetInsteadOfWaitingForever() {
    SlidingWindowLimiter l = limiter(0, 1000);
    RateLimiter.Decision d = l.decide("m", 5000);
    assertThat(d.granted()).isTrue();
    assertThat(d.reservation().tokens()).isEqualTo(1000);
  }

  @Test
  void aPauseHoldsEveryCallerBackEvenWithoutLimits() {
    SlidingWindowLimiter l = limiter(0, 0);
    assertThat(l.decide("m", 10).granted()).isTrue();
    l.pause("m", Duration.ofSeconds(2));
    assertThat(l.decide("m", 10).waitMillis()).isEqualTo(2000);
    assertThat(l.decide("other", 10).granted()).isTrue();
    // A shorter pause does not shorten a longer one.
    l.pause("m", Duration.ofMillis(500));
    assertThat(l.decide("m", 10).waitMillis()).isEqualTo(2000);
    now.addAndGet(2000);
    assertThat(l.decide("m", 10).granted()).isTrue();
  }

  @Test
  void noWindowEverHoldsMoreThanTheLimitUnderRandomArrivals() {
    long limit = 7;
    long window = 60_000;
    SlidingWindowLimiter l = limiter(limit, 0);
    Random random = new Random(42);
    List<Long> grants = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      now.addAndGet(random.nextInt(5_000));
      if (l.decide("m", 1).granted()) {
        grants.add(now.get());
      }
    }
    assertThat(grants.size()).isGreaterThan(100);
    int max = 0;
    for (int i = 0, j = 0; i < grants.size(); i++) {
      while (grants.get(i) - grants.get(j) >= window) {
        j++;
      }
      max = Math.max(max, i - j + 1);
    }
    assertThat(max).isEqualTo((int) limit);
  }
}
