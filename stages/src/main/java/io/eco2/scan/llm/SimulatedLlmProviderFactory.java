package io.eco2.scan.llm;

import io.eco2.engine.llm.LlmProvider;
import io.eco2.engine.llm.LlmProviderContext;
import io.eco2.engine.llm.LlmProviderFactory;
import io.eco2.scan.data.Taxonomy;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Creates the {@link SimulatedLlmProvider} for {@code llm.provider: simulated}, configured by the
 * {@code llm.simulated} section.
 *
 * <p>{@link #create} validates the whole section up front (an invalid key fails start-up, naming it) and
 * reads the bundled taxonomy, so nothing is read from the class path while calls run.
 */
public final class SimulatedLlmProviderFactory implements LlmProviderFactory {

  /** The value of {@code llm.provider} that selects this factory. */
  public static final String NAME = "simulated";

  @Override
  public String name() {
    return NAME;
  }

  /** Without the engine (tests, SPI 1.0 callers): the {@code llm} section given as JSON, validated here. */
  @Override
  public LlmProvider create(Vertx vertx, JsonObject config) {
    return new SimulatedLlmProvider(vertx, SimulatedLlmConfig.from(config), Taxonomy.bundled());
  }

  /** From the engine: its typed {@code llm.simulated} section, as the configuration loader validated it. */
  @Override
  public LlmProvider create(LlmProviderContext context) {
    return new SimulatedLlmProvider(context.vertx(), SimulatedLlmConfig.from(context.options().getSimulated()), Taxonomy.bundled());
  }
}
