package io.eco2.engine.llm.openai;

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
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/**
 * Creates the {@link OpenAiProvider} for {@code llm.provider: openai}.
 *
 * <p>The rate limiter follows {@code mode}: {@code embedded} counts in this process
 * ({@link SlidingWindowLimiter}); {@code distributed} counts in Redis ({@code redis.url},
 * {@code redis.key-prefix}; {@link RedisRateLimiter}) so that every worker process shares one budget per
 * model. With no limits configured no Redis connection is made. {@code llm.max-connections} and
 * {@code llm.max-wait-queue} of 0 (the default) become {@link LlmCapacity#callsInFlight}.
 */
public final class OpenAiProviderFactory implements LlmProviderFactory {

  /** The value of {@code llm.provider} that selects this factory. */
  public static final String NAME = "openai";

  @Override
  public String name() {
    return NAME;
  }

  /** Without the engine's context: embedded limits, meters into a private registry. */
  @Override
  public LlmProvider create(Vertx vertx, JsonObject config) {
    return create(new LlmProviderContext(vertx, config, null, new SimpleMeterRegistry()));
  }

  @Override
  public LlmProvider create(LlmProviderContext context) {
    OpenAiConfig read = OpenAiConfig.from(context.llmConfig());
    // The pool follows the stages: a pool smaller than the calls the stages may start makes calls queue for a
    // connection behind a timeout, which is a second, hidden backpressure point (issue 14).
    OpenAiConfig config = read.withPool(LlmCapacity.resolve(read.maxConnections(), context.engineConfig()),
      LlmCapacity.resolve(read.maxWaitQueue(), context.engineConfig()));
    RateLimiter limiter = limiter(context, config);
    RateLimitGate gate = new RateLimitGate(context.vertx(), limiter, config.maxQuotaWait(), context.registry());
    return new OpenAiProvider(context.vertx(), config, gate, context.registry());
  }

  private static RateLimiter limiter(LlmProviderContext context, OpenAiConfig config) {
    JsonObject all = context.engineConfig();
    if (!"distributed".equals(all.getString("mode", "embedded")) || config.limits().unlimited()) {
      // Without limits, the in-process limiter still spreads a 429's pause over this process's callers.
      return new SlidingWindowLimiter(config.limits());
    }
    JsonObject redis = all.getJsonObject("redis", new JsonObject());
    Redis client = Redis.createClient(context.vertx(), new RedisOptions()
      .setConnectionString(redis.getString("url", "redis://127.0.0.1:6379"))
      .setMaxPoolSize(redis.getInteger("pool-size", 8))
      .setMaxPoolWaiting(redis.getInteger("pool-waiters", 4096)));
    return new RedisRateLimiter(client, redis.getString("key-prefix", "scan"), config.limits());
  }
}
