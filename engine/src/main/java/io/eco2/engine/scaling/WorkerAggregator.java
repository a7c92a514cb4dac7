package io.eco2.engine.scaling;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges the workers' reports (distributed mode) into one observation per stage. Pure: the caller passes
 * the reports it read and the time.
 *
 * <p>A report is {@code {"seq": n, "stages": {"vision": {"completed", "busy_seconds", "inflight", "p50_ms",
 * "quota_waiters", "quota_wait_seconds", "concurrency"}}}} with counters cumulative over the worker's life.
 * The aggregate counters only ever grow: each worker adds what its own counters grew since the report seen
 * before (a new worker starts a baseline; a restarted one, whose counters fell, starts a new one), so
 * workers coming and going do not make rates jump. A worker is live while its {@code seq} keeps changing;
 * one whose {@code seq} stood still for {@code staleMillis} (it died without saying goodbye) is dropped,
 * which uses the observer's clock only, so clock skew between machines does not matter.
 */
final class WorkerAggregator {

  private static final class Seen {
    long seq;
    long changedAt;
    boolean dead;
    JsonObject stages;
  }

  private final long staleMillis;
  private final Map<String, Seen> workers = new HashMap<>();
  private final Map<String, long[]> completed = new HashMap<>();
  private final Map<String, double[]> busy = new HashMap<>();
  private final Map<String, double[]> quotaSeconds = new HashMap<>();

  WorkerAggregator(long staleMillis) {
    this.staleMillis = staleMillis;
  }

  /**
   * Takes the reports read now (worker id → report) and returns one observation per stage of
   * {@code stages}, with {@code ready} from the broker.
   *
   * @param fallbackConcurrency a stage's per-replica concurrency when no worker reported one
   */
  Map<String, StageObservation> update(Map<String, JsonObject> reports, long now, List<String> stages,
                                       Map<String, Long> ready, Map<String, Integer> fallbackConcurrency) {
    for (Map.Entry<String, JsonObject> e : reports.entrySet()) {
      JsonObject report = e.getValue();
      long seq = report.getLong("seq", 0L);
      JsonObject reported = report.getJsonObject("stages", new JsonObject());
      Seen seen = workers.get(e.getKey());
      if (seen == null) {
        seen = new Seen();
        seen.seq = seq;
        seen.changedAt = now;
        seen.stages = reported;
        workers.put(e.getKey(), seen);
        continue;
      }
      if (seen.seq == seq) {
        continue;
      }
      for (String stage : stages) {
        JsonObject before = seen.stages.getJsonObject(stage, new JsonObject());
        JsonObject after = reported.getJsonObject(stage, new JsonObject());
        completed.computeIfAbsent(stage, s -> new long[1])[0] += grew(before.getLong("completed", 0L), after.getLong("completed", 0L));
        busy.computeIfAbsent(stage, s -> new double[1])[0] += grew(before.getDouble("busy_seconds", 0.0), after.getDouble("busy_seconds", 0.0));
        quotaSeconds.computeIfAbsent(stage, s -> new double[1])[0] += grew(before.getDouble("quota_wait_seconds", 0.0), after.getDouble("quota_wait_seconds", 0.0));
      }
      seen.seq = seq;
      seen.changedAt = now;
      seen.dead = false;
      seen.stages = reported;
    }
    // A worker whose entry is gone said goodbye; one whose entry stands still is dead (kept, marked, so that
    // its leftover entry does not look like a new worker at the next read).
    for (Iterator<Map.Entry<String, Seen>> it = workers.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Seen> e = it.next();
      if (!reports.containsKey(e.getKey())) {
        it.remove();
      } else if (now - e.getValue().changedAt > staleMillis) {
        e.getValue().dead = true;
      }
    }
    List<Seen> live = workers.values().stream().filter(w -> !w.dead).toList();
    Map<String, StageObservation> out = new LinkedHashMap<>();
    for (String stage : stages) {
      long inflight = 0;
      double waiters = 0;
      int concurrency = 0;
      List<Double> medians = new ArrayList<>();
      for (Seen w : live) {
        JsonObject s = w.stages.getJsonObject(stage, new JsonObject());
        inflight += s.getLong("inflight", 0L);
        waiters += s.getDouble("quota_waiters", 0.0);
        concurrency = Math.max(concurrency, s.getInteger("concurrency", 0));
        Double p50 = s.getDouble("p50_ms");
        if (p50 != null && !p50.isNaN()) {
          medians.add(p50);
        }
      }
      // Workers are identical and share one queue, so their medians agree closely: their mean stands for the
      // stage's median without shipping whole histograms every second.
      double p50 = medians.isEmpty() ? Double.NaN : medians.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
      out.put(stage, new StageObservation(completed.getOrDefault(stage, new long[1])[0], busy.getOrDefault(stage, new double[1])[0],
        inflight, ready.getOrDefault(stage, 0L), p50, waiters, quotaSeconds.getOrDefault(stage, new double[1])[0],
        concurrency > 0 ? concurrency : fallbackConcurrency.getOrDefault(stage, 1), live.size()));
    }
    return out;
  }

  /** Workers seen alive at the last update. */
  List<String> live() {
    return workers.entrySet().stream().filter(e -> !e.getValue().dead).map(Map.Entry::getKey).toList();
  }

  /** Workers whose report stood still longer than the stale time: their entries may be deleted. */
  List<String> dead() {
    return workers.entrySet().stream().filter(e -> e.getValue().dead).map(Map.Entry::getKey).toList();
  }

  private static long grew(long before, long after) {
    return after >= before ? after - before : after;
  }

  private static double grew(double before, double after) {
    return after >= before ? after - before : after;
  }
}
