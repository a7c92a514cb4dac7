package io.eco2.engine.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The Eco² defaults layer sets registered keys only, and stage sections of policy keys and options. */
class DefaultsLayerSchemaTest {

  @Test
  void theLayerSetsNoKeyTheRegistryDoesNotKnow() {
    Set<String> inDefaults = DefaultsYaml.leafPaths().stream()
      .filter(path -> !path.startsWith(ConfigSchema.STAGES + "."))
      .collect(Collectors.toCollection(TreeSet::new));

    assertThat(inDefaults).isEqualTo(new TreeSet<>(ConfigSchema.keys().keySet()));
  }

  @Test
  void theLayersStagesUseOnlyPolicyKeysAndOptions() {
    ConfigValidator.checkKeys(DefaultsYaml.tree(), ConfigLoader.DEFAULTS_RESOURCE);
  }
}
