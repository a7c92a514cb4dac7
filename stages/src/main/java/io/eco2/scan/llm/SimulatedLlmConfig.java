package io.eco2.scan.llm;

import io.eco2.engine.llm.LlmOptions.SimulatedOptions;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * The validated {@code llm.simulated} section: how slow the simulated model is and whether its latency is
 * reproducible.
 *
 * @param latencyScale multiplies every latency; 0 answers at once
 * @param vision the latency of {@code vision} calls
 * @param answer the latency of {@code answer} calls
 * @param seed the random seed, or null for unseeded latencies
 */
public record SimulatedLlmConfig(double latencyScale, LogNormalLatency vision, LogNormalLatency answer, Long seed) {

  /** The configuration prefix every error names. */
  public static final String PREFIX = "llm.simulated.";

  private static final Set<String> KEYS = Set.of(
    "latency-scale", "vision-mean-ms", "vision-p99-ms", "answer-mean-ms", "answer-p99-ms", "seed");

  /**
   * Reads the {@code simulated} sub-object of an {@code llm} section given as JSON (a provider built without
   * the engine, {@link SimulatedLlmProviderFactory#create(io.vertx.core.Vertx, JsonObject)}); absent keys take
   * the defaults of {@link SimulatedOptions} (no seed).
   *
   * @throws IllegalArgumentException naming the key when a value is invalid or a key is unknown
   */
  public static SimulatedLlmConfig from(JsonObject llm) {
    Object section = llm == null ? null : llm.getValue("simulated");
    if (section != null && !(section instanceof JsonObject)) {
      throw new IllegalArgumentException("llm.simulated: must be an object, got " + section);
    }
    JsonObject json = section == null ? new JsonObject() : (JsonObject) section;
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(PREFIX + key + ": unknown key (known: " + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")");
      }
    }
    double scale = number(json, "latency-scale", SimulatedOptions.DEFAULT_LATENCY_SCALE);
    Long seed = null;
    if (json.getValue("seed") != null) {
      double s = number(json, "seed", 0);
      if (s != Math.rint(s) || Math.abs(s) > Long.MAX_VALUE) {
        throw new IllegalArgumentException(PREFIX + "seed: must be an integer, got " + json.getValue("seed"));
      }
      seed = (long) s;
    }
    return of(scale, number(json, "vision-mean-ms", SimulatedOptions.DEFAULT_VISION_MEAN_MS),
      number(json, "vision-p99-ms", SimulatedOptions.DEFAULT_VISION_P99_MS),
      number(json, "answer-mean-ms", SimulatedOptions.DEFAULT_ANSWER_MEAN_MS),
      number(json, "answer-p99-ms", SimulatedOptions.DEFAULT_ANSWER_P99_MS), seed);
  }

  /**
   * The typed {@code llm.simulated} section as the engine's configuration loader built it (no seed: a seed is
   * for tests that build the provider themselves).
   *
   * @throws IllegalArgumentException naming the key when the latencies cannot be fitted
   */
  public static SimulatedLlmConfig from(SimulatedOptions options) {
    return of(options.getLatencyScale(), options.getVisionMeanMs(), options.getVisionP99Ms(), options.getAnswerMeanMs(),
      options.getAnswerP99Ms(), null);
  }

  private static SimulatedLlmConfig of(double scale, double visionMean, double visionP99, double answerMean, double answerP99, Long seed) {
    if (scale < 0) {
      throw new IllegalArgumentException(PREFIX + "latency-scale: must be 0 or more, got " + scale);
    }
    LogNormalLatency vision = LogNormalLatency.fit(visionMean, visionP99, PREFIX + "vision-mean-ms", PREFIX + "vision-p99-ms");
    LogNormalLatency answer = LogNormalLatency.fit(answerMean, answerP99, PREFIX + "answer-mean-ms", PREFIX + "answer-p99-ms");
    return new SimulatedLlmConfig(scale, vision, answer, seed);
  }

  // Environment overrides arrive as strings, so a numeric string is accepted as well as a number.
  private static double number(JsonObject json, String key, double dflt) {
    Object v = json.getValue(key);
    if (v == null) {
      return dflt;
    }
    double d;
    if (v instanceof Number n) {
      d = n.doubleValue();
    } else if (v instanceof String s) {
      try {
        d = Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(PREFIX + key + ": must be a number, got \"" + s + "\"");
      }
    } else {
      throw new IllegalArgumentException(PREFIX + key + ": must be a number, got " + v);
    }
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new IllegalArgumentException(PREFIX + key + ": must be a finite number, got " + v);
    }
    return d;
  }
}
