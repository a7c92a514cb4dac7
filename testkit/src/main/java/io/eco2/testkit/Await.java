package io.eco2.testkit;

import io.vertx.core.Future;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.awaitility.core.ThrowingRunnable;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The one way a test waits: for a {@link Future} to complete, or for a condition to hold. Both block the
 * calling (test) thread, never an event loop, and fail the test with what was awaited once the deadline
 * passes; none of them is a timed assertion: the deadline only turns a hang into a failure, so it is generous
 * (a loaded machine may be many times slower than an idle one), and how soon a condition holds is never
 * asserted.
 *
 * <p>Conditions are polled (through Awaitility) every {@link #POLL_INTERVAL}; a condition that throws fails
 * the wait at once with that exception, except in {@link #untilAsserted}, which retries until the assertion
 * passes and reports the last failure.
 */
public final class Await {

  /** How long a wait may take before it fails the test, unless the test says otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /**
   * System property that replaces {@link #DEFAULT_TIMEOUT} (in seconds) for a whole run, for a machine much
   * slower than usual: {@code mvn verify -Deco2.test.timeout-seconds=120}.
   */
  public static final String TIMEOUT_PROPERTY = "eco2.test.timeout-seconds";

  /** How often a condition is evaluated. */
  public static final Duration POLL_INTERVAL = Duration.ofMillis(20);

  private Await() {
  }

  /** The deadline of every wait that names none: {@link #TIMEOUT_PROPERTY} if set, else {@link #DEFAULT_TIMEOUT}. */
  public static Duration timeout() {
    String seconds = System.getProperty(TIMEOUT_PROPERTY);
    return seconds == null || seconds.isBlank() ? DEFAULT_TIMEOUT : Duration.ofSeconds(Long.parseLong(seconds.trim()));
  }

  // ------------------------------------------------------------------------------------------------- futures

  /** The future's result; its failure is rethrown (a checked one wrapped in an {@link AssertionError}). */
  public static <T> T result(Future<T> future) {
    return result(future, timeout(), "future");
  }

  /** Like {@link #result(Future)}, naming what was awaited in the failure. */
  public static <T> T result(Future<T> future, String what) {
    return result(future, timeout(), what);
  }

  /** The future's result within {@code within}; fails the test (not hangs it) when it takes longer. */
  public static <T> T result(Future<T> future, Duration within, String what) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(within.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new AssertionError(what + " failed: " + cause, cause);
    } catch (TimeoutException e) {
      throw new AssertionError(what + ": not completed within " + within.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(what + ": interrupted", e);
    }
  }

  /** The failure of a future that must fail; fails the test if it succeeds or does not complete. */
  public static Throwable failure(Future<?> future) {
    return failure(future, "future");
  }

  public static Throwable failure(Future<?> future, String what) {
    Duration within = timeout();
    try {
      Object value = future.toCompletionStage().toCompletableFuture().get(within.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError(what + ": expected a failure, but it succeeded with " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      throw new AssertionError(what + ": not completed within " + within.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(what + ": interrupted", e);
    }
  }

  // ---------------------------------------------------------------------------------------------- conditions

  /** Waits until {@code condition} holds (a condition that throws fails the wait with that exception). */
  public static void until(String what, Callable<Boolean> condition) {
    until(timeout(), what, condition);
  }

  public static void until(Duration within, String what, Callable<Boolean> condition) {
    run(within, what, () -> Awaitility.await(what).atMost(within).pollDelay(Duration.ZERO).pollInterval(POLL_INTERVAL)
      .until(condition));
  }

  /** Waits until {@code value} yields something {@code accepted}, and returns that value. */
  public static <T> T until(String what, Callable<T> value, Predicate<? super T> accepted) {
    return until(timeout(), what, value, accepted);
  }

  public static <T> T until(Duration within, String what, Callable<T> value, Predicate<? super T> accepted) {
    return run(within, what, () -> Awaitility.await(what).atMost(within).pollDelay(Duration.ZERO)
      .pollInterval(POLL_INTERVAL).until(value, accepted::test));
  }

  /** Retries {@code assertion} until it passes; on the deadline, fails with its last failure. */
  public static void untilAsserted(String what, ThrowingRunnable assertion) {
    untilAsserted(timeout(), what, assertion);
  }

  public static void untilAsserted(Duration within, String what, ThrowingRunnable assertion) {
    run(within, what, () -> Awaitility.await(what).atMost(within).pollDelay(Duration.ZERO)
      .pollInterval(POLL_INTERVAL).untilAsserted(assertion));
  }

  /**
   * Checks {@code assertion} throughout {@code period} (every {@link #POLL_INTERVAL}) and fails as soon as it
   * does not hold: for an invariant of a state the test holds on purpose for that long (the holding is the
   * behaviour under test, not a wait for something).
   */
  public static void holdsFor(Duration period, String what, ThrowingRunnable assertion) {
    long end = System.nanoTime() + period.toNanos();
    try {
      Awaitility.await(what).atMost(period.plus(timeout())).pollDelay(Duration.ZERO).pollInterval(POLL_INTERVAL)
        .failFast(what, assertion).until(() -> System.nanoTime() >= end);
    } catch (TerminalFailureException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new AssertionError(what + ": " + cause.getMessage(), cause);
    }
  }

  private interface Wait<T> {
    T run();
  }

  private static void run(Duration within, String what, Runnable wait) {
    run(within, what, () -> {
      wait.run();
      return null;
    });
  }

  /** Turns Awaitility's timeout into an assertion failure that names the condition and its cause. */
  private static <T> T run(Duration within, String what, Wait<T> wait) {
    try {
      return wait.run();
    } catch (ConditionTimeoutException e) {
      // Awaitility's message names the condition and, for untilAsserted, the last assertion failure.
      throw new AssertionError(what + ": not within " + within.toMillis() + " ms: " + e.getMessage(), e);
    }
  }
}
