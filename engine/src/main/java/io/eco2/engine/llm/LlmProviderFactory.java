package io.eco2.engine.llm;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Creates an {@link LlmProvider} by name. Found through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.eco2.engine.llm.LlmProviderFactory}); {@code llm.provider} chooses one.
 */
public interface LlmProviderFactory {

  /** The value of {@code llm.provider} that selects this factory. */
  String name();

  /**
   * Creates the provider.
   *
   * @param config the {@code llm} section of the configuration
   * @throws IllegalArgumentException naming the key when the configuration is invalid
   */
  LlmProvider create(Vertx vertx, JsonObject config);

  /**
   * Creates the provider with everything the engine offers (meters, the whole configuration). The engine
   * calls this one; the default delegates to {@link #create(Vertx, JsonObject)}, so a factory that needs no
   * more keeps working unchanged.
   *
   * @throws IllegalArgumentException naming the key when the configuration is invalid
   */
  default LlmProvider create(LlmProviderContext context) {
    return create(context.vertx(), context.llmConfig());
  }
}
