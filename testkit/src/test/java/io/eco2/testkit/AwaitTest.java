package io.eco2.testkit;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AwaitTest {

  @Test
  void resultReturnsTheValueOfACompletedFuture() {
    assertThat(Await.result(Future.succeededFuture("x"))).isEqualTo("x");
  }

  @Test
  void resultRethrowsTheFailureOfAFailedFuture() {
    IllegalStateException failure = new IllegalStateException("boom");
    assertThatThrownBy(() -> Await.result(Future.failedFuture(failure))).isSameAs(failure);
  }

  @Test
  void resultFailsNamingWhatWasAwaitedWhenTheFutureDoesNotComplete() {
    Promise<String> never = Promise.promise();
    assertThatThrownBy(() -> Await.result(never.future(), Duration.ofMillis(50), "the reply"))
      .isInstanceOf(AssertionError.class).hasMessageContaining("the reply");
  }

  @Test
  void failureReturnsTheCauseAndFailsOnSuccess() {
    IllegalStateException failure = new IllegalStateException("boom");
    assertThat(Await.failure(Future.failedFuture(failure))).isSameAs(failure);
    assertThatThrownBy(() -> Await.failure(Future.succeededFuture("ok"), "refusal"))
      .isInstanceOf(AssertionError.class).hasMessageContaining("refusal").hasMessageContaining("succeeded");
  }

  @Test
  void untilReturnsOnceTheConditionHolds() {
    AtomicInteger polls = new AtomicInteger();
    Await.until("third poll", () -> polls.incrementAndGet() >= 3);
    assertThat(polls).hasValue(3);
  }

  @Test
  void untilReturnsTheAcceptedValue() {
    AtomicInteger polls = new AtomicInteger();
    assertThat(Await.until("a value over 2", polls::incrementAndGet, v -> v > 2)).isEqualTo(3);
  }

  @Test
  void untilFailsNamingTheConditionOnTheDeadline() {
    assertThatThrownBy(() -> Await.until(Duration.ofMillis(50), "the impossible", () -> false))
      .isInstanceOf(AssertionError.class).hasMessageContaining("the impossible");
  }

  @Test
  void untilAssertedReportsTheLastAssertionFailure() {
    assertThatThrownBy(() -> Await.untilAsserted(Duration.ofSeconds(2), "two", () -> assertThat(1).isEqualTo(2)))
      .isInstanceOf(AssertionError.class).hasMessageContaining("two").hasMessageContaining("expected: 2");
  }

  @Test
  void holdsForChecksTheInvariantForTheWholePeriod() {
    AtomicInteger checks = new AtomicInteger();
    Await.holdsFor(Duration.ofMillis(100), "always true", () -> checks.incrementAndGet());
    assertThat(checks.get()).isGreaterThan(1);
  }

  @Test
  void holdsForFailsAsSoonAsTheInvariantBreaks() {
    AtomicInteger checks = new AtomicInteger();
    assertThatThrownBy(() -> Await.holdsFor(Duration.ofSeconds(30), "under three", () -> assertThat(checks.incrementAndGet()).isLessThan(3)))
      .isInstanceOf(AssertionError.class).hasMessageContaining("under three");
    assertThat(checks).hasValue(3);
  }
}
