package io.eco2.engine.llm;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * What a {@link LlmProviderFactory} may use to build its provider: the Vert.x instance, the {@code llm}
 * section, the whole validated configuration (for {@code mode} and {@code redis.*}, which decide where a
 * shared rate limit lives) and the registry the provider's meters go to.
 *
 * @param vertx the engine's Vert.x instance
 * @param llmConfig the {@code llm} section
 * @param engineConfig the whole configuration
 * @param registry where the provider registers its meters
 */
public record LlmProviderContext(Vertx vertx, JsonObject llmConfig, JsonObject engineConfig, MeterRegistry registry) {

  public LlmProviderContext {
    Objects.requireNonNull(vertx, "vertx");
    llmConfig = llmConfig == null ? new JsonObject() : llmConfig;
    engineConfig = engineConfig == null ? new JsonObject().put("llm", llmConfig) : engineConfig;
    Objects.requireNonNull(registry, "registry");
  }
}
