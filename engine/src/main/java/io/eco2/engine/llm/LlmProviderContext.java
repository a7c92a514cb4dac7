package io.eco2.engine.llm;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;

import java.util.Objects;

/**
 * What a {@link LlmProviderFactory} may use to build its provider: the Vert.x instance, its own typed
 * section ({@code llm}), how many calls the process's LLM stages may have in flight, the process's shared
 * Redis client when there is one (distributed mode: a rate limit shared by every process lives there) and
 * the registry the provider's meters go to. A provider never sees the rest of the configuration, and never
 * opens a Redis connection of its own.
 *
 * @param vertx the engine's Vert.x instance
 * @param options the {@code llm} section
 * @param llmCallsInFlight the most LLM calls this process's stages may start at once (Σ instances ×
 *     concurrency over the LLM stages): what a provider sizes its pools by, so that no call waits behind them
 * @param redis the process's one Redis client (owned by the engine: do not close it), or null when the
 *     process has none (embedded mode)
 * @param redisKeyPrefix {@code redis.key-prefix}: the prefix of every key the provider writes to {@code redis}
 * @param registry where the provider registers its meters
 */
public record LlmProviderContext(Vertx vertx, LlmOptions options, int llmCallsInFlight, Redis redis,
                                 String redisKeyPrefix, MeterRegistry registry) {

  public LlmProviderContext {
    Objects.requireNonNull(vertx, "vertx");
    options = options == null ? new LlmOptions() : options;
    if (llmCallsInFlight < 1) {
      throw new IllegalArgumentException("llmCallsInFlight: must be at least 1, got " + llmCallsInFlight);
    }
    Objects.requireNonNull(registry, "registry");
  }

  /** The {@code llm} section as JSON, for a provider that reads keys of its own. */
  public JsonObject llmConfig() {
    return options.toJson();
  }
}
