package io.eco2.engine.llm.impl;

import io.eco2.engine.config.EngineOptions;
import io.eco2.engine.llm.LlmProvider;
import io.eco2.engine.llm.LlmProviderContext;
import io.eco2.engine.llm.openai.LlmCapacity;
import io.eco2.engine.plugin.Catalog;
import io.eco2.engine.runtime.PipelinePlan;
import io.eco2.engine.scaling.ScalingOptions;
import io.eco2.engine.stage.StagePolicy;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Creates the process's LLM provider: the factory {@code llm.provider} names, given its own section, the
 * process's Redis client and a pool size that follows the LLM stages' effective policies (their own
 * defaults included), so that no call waits behind the pool. Internal to the engine.
 */
public final class LlmProviders {

  private LlmProviders() {
  }

  /**
   * @param redis the process's Redis command client, or null in embedded mode
   * @throws IllegalArgumentException naming {@code llm.provider} when no factory of that name is known
   */
  public static LlmProvider create(Vertx vertx, EngineOptions options, PipelinePlan plan, Redis redis,
                                   MeterRegistry registry, Catalog catalog) {
    return catalog.llmProvider(options.getLlm().getProvider())
      .create(new LlmProviderContext(vertx, options.getLlm(), callsInFlight(plan, options),
        redis, options.getRedis().getKeyPrefix(), registry));
  }

  // What the provider sizes its pools by: the LLM stages' effective policies (their own defaults included).
  private static int callsInFlight(PipelinePlan plan, EngineOptions options) {
    Map<String, StagePolicy> policies = new LinkedHashMap<>();
    plan.names().forEach(n -> policies.put(n, plan.policy(n)));
    ScalingOptions scaling = options.getScaling();
    return LlmCapacity.callsInFlight(policies, scaling.llmStages(), scaling.elasticConcurrency() ? scaling.maxConcurrency() : 0);
  }
}
