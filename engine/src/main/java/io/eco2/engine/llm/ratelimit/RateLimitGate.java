package io.eco2.engine.llm.ratelimit;

import io.eco2.engine.stage.StageFailure;
import io.eco2.engine.llm.QuotaLoad;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a call waits for its model's budget: asks the {@link RateLimiter}, and while the answer is "not
 * yet" waits on a Vert.x timer (never a blocked thread) and asks again, at most {@code maxWait} in all.
 *
 * <p>A caller that waits keeps its stage slot, so a stage short of quota takes in less work: its intake
 * slows instead of its jobs failing. When {@code maxWait} has passed and there is still no room, the call fails with the retryable
 * {@value #QUOTA_WAIT_EXCEEDED}, carrying the remaining wait as its {@link StageFailure#retryAfter()} so
 * the job is re-queued without holding a slot. If the budget cannot be read (Redis down) the call fails
 * with the retryable {@value #QUOTA_UNAVAILABLE}.
 *
 * <p>Meters, per model: {@code llm_quota_wait_seconds} (timer: every acquisition, zero when there was room
 * at once) and {@code llm_quota_waiting} (gauge: calls waiting now). A high {@code llm_quota_waiting}
 * with idle providers says "waiting on quota"; more workers would not help. The autoscaler reads the same
 * figures through {@link QuotaLoad}, from the gate itself rather than from the meters.
 */
public final class RateLimitGate implements QuotaLoad {

  public static final String QUOTA_WAIT_EXCEEDED = "LLM_QUOTA_WAIT_EXCEEDED";
  public static final String QUOTA_UNAVAILABLE = "LLM_QUOTA_UNAVAILABLE";
  public static final String CANCELLED = "CANCELLED";

  // Waiters all told "room at t" would ask together at t; a little spread keeps them from stampeding.
  private static final long MAX_JITTER_MS = 50;

  private final Vertx vertx;
  private final RateLimiter limiter;
  private final long maxWaitMs;
  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> waiting = new ConcurrentHashMap<>();
  private final Map<String, Timer> waits = new ConcurrentHashMap<>();

  public RateLimitGate(Vertx vertx, RateLimiter limiter, Duration maxWait, MeterRegistry registry) {
    this.vertx = vertx;
    this.limiter = limiter;
    this.maxWaitMs = maxWait.toMillis();
    this.registry = registry;
  }

  public RateLimiter limiter() {
    return limiter;
  }

  @Override
  public int waiting() {
    return waiting.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  // From the gate's own timers, not looked up by name: a renamed meter cannot change what scaling sees.
  @Override
  public double waitedSeconds() {
    return waits.values().stream().mapToDouble(t -> t.totalTime(TimeUnit.NANOSECONDS)).sum() / 1e9;
  }

  /** Calls of {@code model} waiting for budget now. */
  public int waiting(String model) {
    return waitingCounter(model).get();
  }

  /**
   * A reservation of one request and {@code tokens} tokens of {@code model}'s budget, after waiting for room
   * if need be; fails early when {@code cancelled} completes.
   */
  public Future<RateLimiter.Reservation> acquire(String model, long tokens, Future<Void> cancelled) {
    Promise<RateLimiter.Reservation> promise = Promise.promise();
    new Attempt(model, tokens, cancelled, promise).ask();
    return promise.future();
  }

  private AtomicInteger waitingCounter(String model) {
    return waiting.computeIfAbsent(model, m -> {
      AtomicInteger n = new AtomicInteger();
      Gauge.builder("llm.quota.waiting", n, AtomicInteger::get).tag("model", m)
        .description("LLM calls waiting for their model's rate-limit budget").register(registry);
      return n;
    });
  }

  private Timer waitTimer(String model) {
    return waits.computeIfAbsent(model, m -> Timer.builder("llm.quota.wait").tag("model", m)
      .description("time LLM calls waited for their model's rate-limit budget").register(registry));
  }

  private final class Attempt {
    private final String model;
    private final long tokens;
    private final Future<Void> cancelled;
    private final Promise<RateLimiter.Reservation> promise;
    private final long start = System.nanoTime();
    // Callbacks may come from the limiter's, the timer's and the canceller's threads: state changes are atomic.
    private final AtomicBoolean counted = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile long timer = -1;

    Attempt(String model, long tokens, Future<Void> cancelled, Promise<RateLimiter.Reservation> promise) {
      this.model = model;
      this.tokens = tokens;
      this.cancelled = cancelled;
      this.promise = promise;
      cancelled.onComplete(v -> {
        if (timer >= 0) {
          vertx.cancelTimer(timer);
        }
        fail(StageFailure.retryable(CANCELLED, "llm: call cancelled while waiting for the " + model + " rate limit"));
      });
    }

    void ask() {
      if (cancelled.isComplete()) {
        return;
      }
      limiter.tryReserve(model, tokens).onComplete(ar -> {
        if (ar.failed()) {
          fail(StageFailure.retryable(QUOTA_UNAVAILABLE, "llm: cannot read the rate-limit budget of " + model
            + ": " + ar.cause().getMessage()));
          return;
        }
        RateLimiter.Decision d = ar.result();
        if (d.granted()) {
          finish();
          if (!promise.tryComplete(d.reservation())) {
            // Cancelled meanwhile: give the budget back, nothing will be sent.
            limiter.correct(d.reservation(), 0);
          }
          return;
        }
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        long remaining = maxWaitMs - waited;
        if (remaining <= 0) {
          fail(StageFailure.retryable(QUOTA_WAIT_EXCEEDED, "llm: " + model + " rate limit still spent after waiting "
            + waited + " ms (llm.rate-limit.max-wait-ms: " + maxWaitMs + ")").withRetryAfter(Duration.ofMillis(d.waitMillis())));
          return;
        }
        if (!finished.get() && counted.compareAndSet(false, true)) {
          waitingCounter(model).incrementAndGet();
        }
        // Ask again when room is due, or at the deadline: room may come sooner (a reservation corrected
        // downwards), and the last answer decides whether the call fails.
        long delay = Math.min(d.waitMillis() + ThreadLocalRandom.current().nextLong(MAX_JITTER_MS + 1), remaining);
        timer = vertx.setTimer(delay, id -> {
          timer = -1;
          ask();
        });
      });
    }

    private void fail(StageFailure failure) {
      finish();
      promise.tryFail(failure);
    }

    private void finish() {
      if (!finished.compareAndSet(false, true)) {
        return;
      }
      if (counted.compareAndSet(true, false)) {
        waitingCounter(model).decrementAndGet();
      }
      waitTimer(model).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }
}
