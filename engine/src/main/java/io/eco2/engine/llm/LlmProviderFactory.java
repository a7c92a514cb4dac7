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
}
