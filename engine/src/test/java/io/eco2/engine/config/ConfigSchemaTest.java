package io.eco2.engine.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigSchemaTest {

  /** The engine's own defaults: its constants, and the layers of its class path (none in this module). */
  private static JsonObject builtIn() {
    return DefaultsLayers.builtIn(ConfigSchemaTest.class.getClassLoader());
  }

  @Test
  void registryAndDefaultsYamlListTheSameKeys() {
    Set<String> inDefaults = JsonTrees.leaves(builtIn()).keySet().stream().map(JsonTrees::dotted)
      .filter(path -> !path.startsWith(ConfigSchema.STAGES + "."))
      .collect(Collectors.toCollection(TreeSet::new));

    assertThat(inDefaults).isEqualTo(new TreeSet<>(ConfigSchema.keys().keySet()));
  }

  @Test
  void everyRegisteredKeyIsDocumented() {
    assertThat(ConfigSchema.keys().values()).allSatisfy(key -> assertThat(key.doc()).isNotBlank());
  }

  @Test
  void defaultsYamlStagesUseOnlyPolicyKeysAndOptions() {
    ConfigValidator.checkKeys(builtIn(), "defaults.yaml");
  }

  @Test
  void integerRuleAcceptsWholeDoublesAndNarrowsToInteger() {
    assertThat(ValueRule.integer(0, 10).check("k", 5.0)).isEqualTo(5);
    assertThat(ValueRule.integer(0, Long.MAX_VALUE).check("k", 5_000_000_000L)).isEqualTo(5_000_000_000L);
  }

  @Test
  void integerRuleRejectsFractionsAndBooleans() {
    assertThatThrownBy(() -> ValueRule.integer(0, 10).check("k", 2.5)).hasMessage("k: must be an integer between 0 and 10, got 2.5");
    assertThatThrownBy(() -> ValueRule.integer(1, Long.MAX_VALUE).check("k", true)).hasMessage("k: must be an integer of at least 1, got true");
  }

  @Test
  void secretRuleHidesTheValueInMessages() {
    assertThatThrownBy(() -> ConfigSchema.key("http.api-keys").rule().check("http.api-keys", "s3cr3t"))
      .hasMessage("http.api-keys: must be a list of non-empty strings, got a hidden value");
  }

  @Test
  void environmentTextThatDoesNotConvertStaysText() {
    assertThat(ValueRule.integer(0, 10).fromEnvironment("ten")).isEqualTo("ten");
    assertThat(ValueRule.bool().fromEnvironment(" TRUE ")).isEqualTo(true);
    assertThat(ValueRule.like(0.5, "0.25")).isEqualTo(0.25);
  }

  @Test
  void environmentOverridesWarnOnlyAboutEco2Variables() {
    JsonObject config = builtIn();

    Map<String, String> applied = EnvironmentOverrides.apply(config,
      Map.of("ECO2_SSE_RETRY_MS", "100", "ECO2_SERVICE_HOST", "10.0.0.1", "PATH", "/bin"));

    assertThat(applied).containsExactly(Map.entry("sse.retry-ms", "ECO2_SSE_RETRY_MS"));
    assertThat(config.getJsonObject("sse").getValue("retry-ms")).isEqualTo(100);
  }
}
