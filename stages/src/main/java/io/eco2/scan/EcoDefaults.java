package io.eco2.scan;

import java.util.List;

/**
 * The Eco² product's configuration defaults: what the fat jar runs with when nothing is configured. The
 * engine knows none of them; this module hands them to its configuration loader as the defaults layer
 * {@code META-INF/eco2/defaults.yaml} (with the stage sections of {@link EcoPolicies}), and the stages read
 * these constants where a job lacks a value. {@code EcoDefaultsLayerTest} keeps the layer equal to them.
 */
public final class EcoDefaults {

  /** {@code pipeline.stages}: the scan pipeline (CONTRACT §3). */
  public static final List<String> STAGES = List.of("vision", "rule", "answer", "reward");
  /** {@code llm.models}: the models a scan request may name. */
  public static final List<String> MODELS = List.of("gpt-5.2", "gpt-5.2-mini", "gpt-4.1-mini");
  /** {@code llm.default-model}: the model of a request that names none. */
  public static final String DEFAULT_MODEL = "gpt-5.2";
  /** {@code api.default-user-input}: the question asked when the user typed none (CONTRACT §2). */
  public static final String USER_INPUT = "이 폐기물을 어떻게 분리배출해야 하나요?";
  /** {@code scaling.llm-stages}: the stages that call the LLM. */
  public static final List<String> LLM_STAGES = List.of("vision", "answer");

  private EcoDefaults() {
  }
}
