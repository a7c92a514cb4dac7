package io.eco2.tests.fakeopenai;

import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the fake server saw: requests, their faults, concurrency, and the arrival times of the latest
 * {@value #MAX_ARRIVALS} requests (for "never more than N in any window" checks). Thread-safe.
 */
public final class FakeOpenAiStats {

  /** Arrival times kept at most: enough for minutes of a benchmark, bounded for hours of one. */
  public static final int MAX_ARRIVALS = 200_000;

  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong unauthorized = new AtomicLong();
  private final AtomicLong abandonedHangs = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final Map<Fault, AtomicLong> faults = new EnumMap<>(Fault.class);
  private final Map<String, AtomicLong> tasks = new java.util.concurrent.ConcurrentHashMap<>();
  private final ArrayDeque<Long> arrivals = new ArrayDeque<>();

  FakeOpenAiStats() {
    for (Fault f : Fault.values()) {
      faults.put(f, new AtomicLong());
    }
  }

  void arrived() {
    requests.incrementAndGet();
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    long now = System.nanoTime();
    synchronized (arrivals) {
      if (arrivals.size() == MAX_ARRIVALS) {
        arrivals.pollFirst();
      }
      arrivals.addLast(now);
    }
  }

  void finished() {
    inFlight.decrementAndGet();
  }

  void refused() {
    unauthorized.incrementAndGet();
  }

  void fault(Fault f, String task) {
    faults.get(f).incrementAndGet();
    tasks.computeIfAbsent(task, t -> new AtomicLong()).incrementAndGet();
  }

  void hangAbandoned() {
    abandonedHangs.incrementAndGet();
  }

  /** Requests received (any path, any outcome). */
  public long requests() { return requests.get(); }

  /** Requests refused for a missing or wrong key. */
  public long unauthorized() { return unauthorized.get(); }

  /** Requests of {@code task} ({@code vision}, {@code answer}) that reached fault selection. */
  public long requests(String task) { AtomicLong n = tasks.get(task); return n == null ? 0 : n.get(); }

  /** Requests that got {@code fault}. */
  public long count(Fault fault) { return faults.get(fault).get(); }

  /** Hung requests whose client closed the connection (a timeout or a cancellation reached the server). */
  public long abandonedHangs() { return abandonedHangs.get(); }

  /** The most requests in flight at once. */
  public int maxConcurrency() { return maxInFlight.get(); }

  /** The most requests that arrived within any span shorter than {@code windowNanos}. */
  public int maxInAnyWindow(long windowNanos) {
    List<Long> times;
    synchronized (arrivals) {
      times = new ArrayList<>(arrivals);
    }
    int max = 0;
    for (int i = 0, j = 0; i < times.size(); i++) {
      while (times.get(i) - times.get(j) >= windowNanos) {
        j++;
      }
      max = Math.max(max, i - j + 1);
    }
    return max;
  }

  /** Requests that arrived in the last {@code windowNanos}. */
  public int inLast(long windowNanos) {
    long from = System.nanoTime() - windowNanos;
    synchronized (arrivals) {
      return (int) arrivals.stream().filter(t -> t >= from).count();
    }
  }

  public JsonObject toJson() {
    JsonObject f = new JsonObject();
    faults.forEach((k, v) -> f.put(k.name().toLowerCase(java.util.Locale.ROOT), v.get()));
    return new JsonObject().put("requests", requests()).put("unauthorized", unauthorized())
      .put("faults", f).put("in_flight", inFlight.get()).put("max_concurrency", maxConcurrency())
      .put("requests_last_minute", inLast(60_000_000_000L))
      .put("max_requests_in_any_minute", maxInAnyWindow(60_000_000_000L))
      .put("abandoned_hangs", abandonedHangs());
  }
}
