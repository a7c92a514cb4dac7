package io.eco2.engine.llm.ratelimit;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The in-process {@link RateLimiter} (embedded mode): per model, a log of the grants still inside the
 * window with their tokens, and the running sum of those tokens.
 *
 * <p>A sliding log rather than a token bucket because it gives the stated guarantee exactly: at most the
 * limit in <em>any</em> window, where a bucket would allow a full burst plus a window's refill. The log of a
 * model holds at most its request limit entries (or its token limit, when only tokens are limited), so it
 * is bounded by the configuration. Each model's state is guarded by its own lock: the stages call from
 * several event loops, and every operation is a few arithmetic steps, never a wait. Without limits nothing
 * is logged, but a {@linkplain #pause pause} (a provider's 429) still holds every caller back.
 */
public final class SlidingWindowLimiter implements RateLimiter {

  private final RateLimits limits;
  private final LongSupplier clock;
  private final Map<String, ModelLog> models = new ConcurrentHashMap<>();

  public SlidingWindowLimiter(RateLimits limits) {
    // Monotonic: a window measured on the wall clock shrinks or grows when the clock is stepped.
    this(limits, () -> System.nanoTime() / 1_000_000);
  }

  /** With an explicit millisecond clock (tests). */
  public SlidingWindowLimiter(RateLimits limits, LongSupplier clock) {
    this.limits = limits;
    this.clock = clock;
  }

  @Override
  public RateLimits limits() {
    return limits;
  }

  @Override
  public Future<Decision> tryReserve(String model, long tokens) {
    return Future.succeededFuture(decide(model, tokens));
  }

  /** {@link #tryReserve} without the future (tests and callers that need no asynchrony). */
  public Decision decide(String model, long tokens) {
    long need = limits.clampTokens(tokens);
    return models.computeIfAbsent(model, m -> new ModelLog()).reserve(model, need, clock.getAsLong());
  }

  @Override
  public Future<Void> correct(Reservation reservation, long actualTokens) {
    ModelLog log = models.get(reservation.model());
    if (log != null) {
      log.correct(reservation.id(), Math.max(0, actualTokens), clock.getAsLong());
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> pause(String model, Duration duration) {
    if (duration.toMillis() > 0) {
      models.computeIfAbsent(model, m -> new ModelLog()).pauseUntil(clock.getAsLong() + duration.toMillis());
    }
    return Future.succeededFuture();
  }

  /** Tokens currently counted for {@code model} (tests, diagnostics). */
  public long tokensInWindow(String model) {
    ModelLog log = models.get(model);
    return log == null ? 0 : log.tokens(clock.getAsLong());
  }

  private static final class Entry {
    final String id;
    final long at;
    long tokens;

    Entry(String id, long at, long tokens) {
      this.id = id;
      this.at = at;
      this.tokens = tokens;
    }
  }

  private final class ModelLog {
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long tokenSum;
    private long pausedUntil;

    synchronized Decision reserve(String model, long need, long now) {
      evict(now);
      if (now < pausedUntil) {
        return Decision.denied(pausedUntil - now);
      }
      if (limits.unlimited()) {
        // Nothing to count: only a provider's pause holds calls back.
        return Decision.granted(new Reservation(model, "", need, now));
      }
      long window = limits.window().toMillis();
      if (limits.requestsPerWindow() > 0 && entries.size() >= limits.requestsPerWindow()) {
        return Decision.denied(entries.peekFirst().at + window - now);
      }
      if (limits.tokensPerWindow() > 0 && tokenSum + need > limits.tokensPerWindow()) {
        // Room appears when enough of the oldest grants leave the window.
        long freed = 0;
        for (Entry e : entries) {
          freed += e.tokens;
          if (tokenSum - freed + need <= limits.tokensPerWindow()) {
            return Decision.denied(e.at + window - now);
          }
        }
        return Decision.denied(window);
      }
      Entry e = new Entry(UUID.randomUUID().toString(), now, need);
      entries.addLast(e);
      tokenSum += need;
      return Decision.granted(new Reservation(model, e.id, need, now));
    }

    synchronized void correct(String id, long actual, long now) {
      evict(now);
      // Corrections come soon after the grant, so the entry is near the end of the log.
      for (Iterator<Entry> it = entries.descendingIterator(); it.hasNext(); ) {
        Entry e = it.next();
        if (e.id.equals(id)) {
          tokenSum += actual - e.tokens;
          e.tokens = actual;
          return;
        }
      }
    }

    synchronized void pauseUntil(long until) {
      pausedUntil = Math.max(pausedUntil, until);
    }

    synchronized long tokens(long now) {
      evict(now);
      return tokenSum;
    }

    private void evict(long now) {
      long horizon = now - limits.window().toMillis();
      while (!entries.isEmpty() && entries.peekFirst().at <= horizon) {
        tokenSum -= entries.pollFirst().tokens;
      }
    }
  }
}
