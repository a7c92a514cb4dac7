package io.eco2.engine.llm.openai;

import io.eco2.engine.config.EngineOptions;
import io.eco2.engine.scaling.ScalingOptions;
import io.eco2.engine.stage.StagePolicy;
import io.eco2.engine.stage.StageSetup;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How many LLM calls this process can have in flight at once, derived from the stage sizes, so that the
 * HTTP client's pool follows the stages instead of being a second, smaller limit behind them.
 *
 * <p>Promise: {@link #callsInFlight(Map, List, int)} is the sum, over the LLM stages ({@code scaling.llm-stages}
 * that are in {@code pipeline.stages}; all pipeline stages when none of them is listed), of
 * {@code instances × concurrency}, with {@code scaling.max-concurrency} in place of the concurrency when
 * {@code scaling.elastic-concurrency} may raise it. A stage can never start more LLM calls than its
 * executions in flight (in-call retries reuse the execution's slot), so a pool of this size never makes a
 * call wait: backpressure stays at the stage, where it is bounded and measured. Connections are opened
 * lazily, so the size costs nothing until the load needs it.
 */
public final class LlmCapacity {

  /** Configured value of {@code llm.max-connections} / {@code llm.max-wait-queue} meaning "follow the stages". */
  public static final int AUTO = io.eco2.engine.llm.LlmOptions.FOLLOW_STAGES;

  private LlmCapacity() {
  }

  /**
   * The LLM stages' executions in flight in one process (see the class comment), from the stages' effective
   * policies in pipeline order.
   *
   * @param llmStages {@code scaling.llm-stages}
   * @param elasticMax {@code scaling.max-concurrency} when {@code scaling.elastic-concurrency} is on, else 0
   */
  public static int callsInFlight(Map<String, StagePolicy> policies, List<String> llmStages, int elasticMax) {
    List<String> counted = new ArrayList<>(llmStages);
    counted.retainAll(policies.keySet());
    if (counted.isEmpty()) {
      counted = new ArrayList<>(policies.keySet());
    }
    long total = 0;
    for (String name : counted) {
      StagePolicy p = policies.get(name);
      total += (long) p.instances() * Math.max(p.concurrency(), elasticMax);
    }
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, total));
  }

  /**
   * The same from the engine's typed configuration: each pipeline stage's section merged into the generic
   * {@link StagePolicy} defaults (a stage's own default policy is not known here; the engine, which has the
   * stages, uses {@link #callsInFlight(Map, List, int)} with their effective policies).
   *
   * @throws IllegalArgumentException naming the key when a stage section holds an invalid policy value
   */
  public static int callsInFlight(EngineOptions options) {
    Map<String, StagePolicy> policies = new LinkedHashMap<>();
    for (String name : options.getPipeline().getStages()) {
      JsonObject policyKeys = options.stage(name);
      policyKeys.remove(StageSetup.OPTIONS);
      policies.put(name, new StagePolicy().merge(name, policyKeys));
    }
    ScalingOptions scaling = options.getScaling();
    return callsInFlight(policies, scaling.llmStages(), scaling.elasticConcurrency() ? scaling.maxConcurrency() : 0);
  }

  /** {@code configured}, or {@code callsInFlight} when it is {@link #AUTO}. */
  public static int resolve(int configured, int callsInFlight) {
    return configured == AUTO ? callsInFlight : configured;
  }
}
