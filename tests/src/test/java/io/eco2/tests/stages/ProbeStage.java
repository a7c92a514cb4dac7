package io.eco2.tests.stages;

import io.eco2.engine.stage.Stage;
import io.eco2.engine.stage.StageContext;
import io.eco2.engine.stage.StageFailure;
import io.eco2.engine.stage.StagePolicy;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plugin stage for tests that misbehaves on request. The job's {@code user_input} holds directives,
 * separated by spaces, each addressed to a stage name ({@code probe.fail=2}) or to every probe stage
 * ({@code fail=2}):
 * <ul>
 *   <li>{@code fail=N}: the first N attempts fail with a retryable {@code TEST_FAILURE};</li>
 *   <li>{@code permanent}: every attempt fails with a non-retryable {@code TEST_PERMANENT};</li>
 *   <li>{@code hang}: never completes (only the engine's timeout ends it); {@link #cancellations} counts
 *       the cancellations it received;</li>
 *   <li>{@code sleep=MS}: completes after MS milliseconds;</li>
 *   <li>{@code bytes=N}: its output also holds {@code "blob"}, a string of N characters (big frames);</li>
 *   <li>{@code gate=NAME}: completes when the test opens {@link #gate(String)}.</li>
 * </ul>
 * The output is {@code {"<name>": {"attempt": n}}}.
 */
public class ProbeStage implements Stage {

  private static final Map<String, Promise<Void>> GATES = new ConcurrentHashMap<>();
  private static final AtomicInteger CANCELLATIONS = new AtomicInteger();
  private static final AtomicInteger RUNNING = new AtomicInteger();
  private static final AtomicInteger PEAK = new AtomicInteger();

  @Override
  public String name() {
    return "probe";
  }

  @Override
  public StagePolicy defaultPolicy() {
    return new StagePolicy().setInstances(1).setConcurrency(4).setBacklog(100).setTimeout(Duration.ofSeconds(5))
      .setRetries(2).setBackoffInitial(Duration.ofMillis(50)).setBackoffMax(Duration.ofMillis(200));
  }

  /** Opens (completes) the named gate; executions waiting on it finish. */
  public static void open(String name) {
    gate(name).tryComplete();
  }

  public static Promise<Void> gate(String name) {
    return GATES.computeIfAbsent(name, k -> Promise.promise());
  }

  public static int cancellations() {
    return CANCELLATIONS.get();
  }

  /** Probe executions running right now, and the most ever seen at once since {@link #resetPeak}. */
  public static int running() {
    return RUNNING.get();
  }

  public static int peak() {
    return PEAK.get();
  }

  public static void resetPeak() {
    PEAK.set(RUNNING.get());
  }

  @Override
  public Future<JsonObject> process(StageContext ctx) {
    String directives = ctx.job().getString("user_input", "");
    JsonObject output = new JsonObject().put(name(), new JsonObject().put("attempt", ctx.attempt()));
    String bytes = directive(directives, "bytes");
    if (bytes != null) {
      output.getJsonObject(name()).put("blob", "x".repeat(Integer.parseInt(bytes)));
    }
    String fail = directive(directives, "fail");
    if (fail != null && ctx.attempt() < Integer.parseInt(fail)) {
      return Future.failedFuture(StageFailure.retryable("TEST_FAILURE", name() + " failed attempt " + ctx.attempt() + " on purpose"));
    }
    if (directive(directives, "permanent") != null) {
      return Future.failedFuture(StageFailure.permanent("TEST_PERMANENT", name() + " failed for good on purpose"));
    }
    if (directive(directives, "hang") != null) {
      Promise<JsonObject> never = Promise.promise();
      ctx.cancelled().onComplete(v -> CANCELLATIONS.incrementAndGet());
      return never.future();
    }
    String sleep = directive(directives, "sleep");
    String gate = directive(directives, "gate");
    if (sleep == null && gate == null) {
      return Future.succeededFuture(output);
    }
    PEAK.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
    Promise<JsonObject> done = Promise.promise();
    if (sleep != null) {
      ctx.vertx().setTimer(Math.max(1, Long.parseLong(sleep)), id -> done.tryComplete(output));
    } else {
      gate(gate).future().onComplete(v -> ctx.vertx().runOnContext(x -> done.tryComplete(output)));
    }
    return done.future().onComplete(ar -> RUNNING.decrementAndGet());
  }

  /** The value of {@code name.key=value}, {@code key=value} or the bare flag {@code key} (""), or null. */
  protected String directive(String directives, String key) {
    for (String token : directives.trim().split("\\s+")) {
      String t = token;
      int dot = t.indexOf('.');
      int eq = t.indexOf('=');
      if (dot > 0 && (eq < 0 || dot < eq)) {
        if (!t.substring(0, dot).equals(name())) {
          continue;
        }
        t = t.substring(dot + 1);
        eq = t.indexOf('=');
      }
      String k = eq < 0 ? t : t.substring(0, eq);
      if (k.equals(key)) {
        return eq < 0 ? "" : t.substring(eq + 1);
      }
    }
    return null;
  }
}
