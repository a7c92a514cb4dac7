package io.eco2.engine.llm.openai;

import io.eco2.engine.llm.LlmOptions;
import io.eco2.engine.llm.LlmProvider;
import io.eco2.engine.llm.LlmProviderContext;
import io.eco2.engine.llm.LlmProviderFactory;
import io.eco2.engine.llm.ratelimit.RateLimitGate;
import io.eco2.engine.llm.ratelimit.RateLimiter;
import io.eco2.engine.llm.ratelimit.RedisRateLimiter;
import io.eco2.engine.llm.ratelimit.SlidingWindowLimiter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Creates the {@link OpenAiProvider} for {@code llm.provider: openai}.
 *
 * <p>The rate limiter follows where the process runs: with the engine's shared Redis client (distributed
 * mode) and limits configured it counts in Redis ({@link RedisRateLimiter}, keys under
 * {@code redis.key-prefix}) so that every worker process shares one budget per model; otherwise it counts in
 * this process ({@link SlidingWindowLimiter}). It never opens a Redis connection of its own.
 * {@code llm.max-connections} and {@code llm.max-wait-queue} of 0 (the default) become
 * {@link LlmProviderContext#llmCallsInFlight()}.
 */
public final class OpenAiProviderFactory implements LlmProviderFactory {

  /** The value of {@code llm.provider} that selects this factory. */
  public static final String NAME = "openai";

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Without the engine's context (the SPI 1.0 entry): the section read into {@link LlmOptions}, limits in this
   * process, meters into a private registry, and no stages known, so an automatic pool holds one call.
   */
  @Override
  public LlmProvider create(Vertx vertx, JsonObject config) {
    return create(new LlmProviderContext(vertx, new LlmOptions(config), 1, null, null, new SimpleMeterRegistry()));
  }

  @Override
  public LlmProvider create(LlmProviderContext context) {
    OpenAiConfig read = OpenAiConfig.from(context.options());
    // The pool follows the stages: a pool smaller than the calls the stages may start makes calls queue for a
    // connection behind a timeout, which is a second, hidden backpressure point (issue 14).
    OpenAiConfig config = read.withPool(LlmCapacity.resolve(read.maxConnections(), context.llmCallsInFlight()),
      LlmCapacity.resolve(read.maxWaitQueue(), context.llmCallsInFlight()));
    RateLimiter limiter = limiter(context, config);
    RateLimitGate gate = new RateLimitGate(context.vertx(), limiter, config.maxQuotaWait(), context.registry());
    return new OpenAiProvider(context.vertx(), config, gate, context.registry());
  }

  private static RateLimiter limiter(LlmProviderContext context, OpenAiConfig config) {
    if (context.redis() == null || config.limits().unlimited()) {
      // Without limits, the in-process limiter still spreads a 429's pause over this process's callers.
      return new SlidingWindowLimiter(config.limits());
    }
    return new RedisRateLimiter(context.redis(), context.redisKeyPrefix(), config.limits());
  }
}
