package io.eco2.tests.load;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The run's summary: built once from the {@link RunStats} at the end, written as JSON (for scripts:
 * {@code scripts/benchmark.sh} reads it) and as text (for people). Field meanings are documented in
 * docs/BENCHMARKS.md, "Output".
 */
public final class Summary {

  private Summary() {
  }

  /** Builds the JSON summary. */
  public static JsonObject build(LoadOptions o, RunStats s, Instant startedAt, long durationMillis) {
    JsonObject json = new JsonObject()
      .put("label", o.label())
      .put("mode", o.mode().name().toLowerCase(Locale.ROOT))
      .put("url", o.url().toString())
      .put("users", o.users())
      .put("ramp_up_s", o.rampUp().toMillis() / 1000.0)
      .put("hold_s", o.hold().toMillis() / 1000.0)
      .put("ramp_down_s", o.rampDown().toMillis() / 1000.0)
      .put("think_s", new JsonObject().put("min", o.thinkMin().toMillis() / 1000.0).put("max", o.thinkMax().toMillis() / 1000.0))
      .put("watch", o.mode() == LoadOptions.Mode.IDLE ? (o.spreadWatchers() ? "spread" : "newest") : null)
      .put("started_at", startedAt.toString())
      .put("duration_s", durationMillis / 1000.0);
    long iterations = s.iterations();
    json.put("iterations", iterations)
      .put("completed", s.completed())
      .put("partial", s.partial())
      .put("failed", s.failed())
      .put("completion_pct", iterations == 0 ? 0.0 : round2(100.0 * s.completed() / iterations))
      .put("reward_null", s.rewardNull())
      .put("degraded", s.degraded())
      .put("rejected_429", s.rejectedCount())
      .put("failures", new JsonObject(new TreeMap<>(s.failures())))
      .put("partials", new JsonObject(new TreeMap<>(s.partials())))
      .put("violations", new JsonObject().put("total", s.violationCount()).put("by_kind", new JsonObject(new TreeMap<>(s.violations()))));
    json.put("latency_ms", new JsonObject()
      .put("submit", s.submit.toJson())
      .put("first_frame", s.firstFrame.toJson())
      .put("end_to_end", s.endToEnd.toJson())
      .put("provider_bound", s.stageSum.toJson())
      .put("result_fetch", s.resultFetch.toJson())
      .put("think", s.think.toJson()));
    json.put("throughput", throughput(o, s, durationMillis));
    if (o.mode() == LoadOptions.Mode.IDLE) {
      json.put("idle", new JsonObject()
        .put("streams_opened", s.streamsOpened())
        .put("peak_streams_open", s.peakStreamsOpen())
        .put("event_delay_ms", s.eventDelay.toJson()));
    }
    return json;
  }

  // Completions per minute while every user was active (the hold), next to the closed-loop bound: a user can
  // complete at most one job per (end-to-end + think), so N users at most N * 60 / (e2e + think) a minute.
  private static JsonObject throughput(LoadOptions o, RunStats s, long durationMillis) {
    long holdFrom = o.rampUp().toSeconds();
    long holdTo = holdFrom + o.hold().toSeconds();
    double perMinHold = o.hold().toSeconds() == 0 ? 0
      : s.completedBetween(holdFrom, holdTo) * 60.0 / o.hold().toSeconds();
    double perMinAll = durationMillis == 0 ? 0 : s.completed() * 60_000.0 / durationMillis;
    double cycleMs = s.endToEnd.mean() + s.think.mean();
    double bound = cycleMs <= 0 || o.mode() == LoadOptions.Mode.IDLE ? 0 : o.users() * 60_000.0 / cycleMs;
    double providerCycle = s.stageSum.mean() + s.think.mean();
    double providerBound = providerCycle <= 0 || o.mode() == LoadOptions.Mode.IDLE ? 0 : o.users() * 60_000.0 / providerCycle;
    return new JsonObject()
      .put("completed_per_min_hold", round2(perMinHold))
      .put("completed_per_min_overall", round2(perMinAll))
      .put("closed_loop_bound_per_min", round2(bound))
      .put("hold_vs_bound_pct", bound == 0 ? 0.0 : round2(100 * perMinHold / bound))
      .put("provider_closed_loop_bound_per_min", round2(providerBound));
  }

  /** The text form: one screen, the same numbers as the JSON. */
  public static String text(JsonObject j) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "eco2-loadgen %s %s: %d users, ramp %ss / hold %ss / ramp-down %ss, %.1f s%n",
      j.getString("label").isEmpty() ? "" : "[" + j.getString("label") + "]", j.getString("mode"), j.getInteger("users"),
      fmt(j.getDouble("ramp_up_s")), fmt(j.getDouble("hold_s")), fmt(j.getDouble("ramp_down_s")), j.getDouble("duration_s")));
    b.append(String.format(Locale.ROOT, "  iterations %d: completed %d (%.2f %%), partial %d, failed %d (429: %d); reward null %d, degraded %d%n",
      j.getLong("iterations"), j.getLong("completed"), j.getDouble("completion_pct"), j.getLong("partial"),
      j.getLong("failed"), j.getLong("rejected_429"), j.getLong("reward_null"), j.getLong("degraded")));
    reasons(b, "failures", j.getJsonObject("failures"));
    reasons(b, "partials", j.getJsonObject("partials"));
    JsonObject v = j.getJsonObject("violations");
    b.append(String.format(Locale.ROOT, "  integrity violations %d %s%n", v.getLong("total"),
      v.getJsonObject("by_kind").isEmpty() ? "" : v.getJsonObject("by_kind").encode()));
    b.append(String.format(Locale.ROOT, "  %-15s %7s %9s %9s %9s %9s %9s %9s%n", "latency (ms)", "count", "mean", "p50", "p90", "p95", "p99", "max"));
    for (Map.Entry<String, Object> e : j.getJsonObject("latency_ms")) {
      row(b, e.getKey(), (JsonObject) e.getValue());
    }
    if (j.containsKey("idle")) {
      JsonObject idle = j.getJsonObject("idle");
      row(b, "event_delay", idle.getJsonObject("event_delay_ms"));
      b.append(String.format(Locale.ROOT, "  streams opened %d, peak open %d%n", idle.getLong("streams_opened"), idle.getLong("peak_streams_open")));
    } else {
      JsonObject t = j.getJsonObject("throughput");
      b.append(String.format(Locale.ROOT, "  completed/min: hold %.1f, overall %.1f; closed-loop bound %.1f (%.1f %%); provider closed-loop bound %.1f%n",
        t.getDouble("completed_per_min_hold"), t.getDouble("completed_per_min_overall"), t.getDouble("closed_loop_bound_per_min"),
        t.getDouble("hold_vs_bound_pct"), t.getDouble("provider_closed_loop_bound_per_min")));
    }
    return b.toString();
  }

  private static void reasons(StringBuilder b, String name, JsonObject reasons) {
    if (!reasons.isEmpty()) {
      b.append("  ").append(name).append(": ").append(reasons.encode()).append(System.lineSeparator());
    }
  }

  private static void row(StringBuilder b, String name, JsonObject l) {
    b.append(String.format(Locale.ROOT, "  %-15s %7d %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f%n", name, l.getLong("count"),
      l.getDouble("mean"), l.getDouble("p50"), l.getDouble("p90"), l.getDouble("p95"), l.getDouble("p99"), l.getDouble("max")));
  }

  private static String fmt(double seconds) {
    return seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds);
  }

  static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
