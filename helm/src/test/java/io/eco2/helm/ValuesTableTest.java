package io.eco2.helm;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's values table is the one generated from the comments of {@code values.yaml}, so neither can drift.
 * To regenerate it after editing values.yaml: {@code mvn -pl helm -am test -Dtest=ValuesTableTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dvalues-table.write=true}.
 */
class ValuesTableTest {

  private static final Path README = Path.of("..", "README.md");
  private static final Path VALUES = RenderedChart.CHART.resolve("values.yaml");

  @Test
  void theReadmeTableIsGeneratedFromValuesYaml() throws IOException {
    String readme = Files.readString(README);
    String values = Files.readString(VALUES);
    String expected = ValuesTable.updated(readme, values);
    if (Boolean.getBoolean("values-table.write") && !expected.equals(readme)) {
      Files.writeString(README, expected);
      readme = expected;
    }
    assertThat(readme).as("README.md's values table is out of date; regenerate it with -Dvalues-table.write=true "
      + "(see ValuesTableTest)").isEqualTo(expected);
  }

  @Test
  void everyTopLevelValueIsDocumented() throws IOException {
    String values = Files.readString(VALUES);
    java.util.Set<String> documented = new java.util.HashSet<>();
    ValuesTable.rows(values).forEach(r -> documented.add(r.key().split("\\.")[0]));
    java.util.Map<String, Object> tree = new org.yaml.snakeyaml.Yaml().load(values);
    assertThat(documented).containsAll(tree.keySet().stream().filter(k -> !(tree.get(k) instanceof java.util.Map)).toList());
    assertThat(ValuesTable.rows(values)).extracting(ValuesTable.Row::key)
      .contains("image.repository", "config", "keda.trigger", "api.autoscaling.sseConnectionsPerPod", "log.format", "secrets.existingSecret");
  }

  @Test
  void aCommentedKeyBecomesARowWithItsPathDefaultAndText() {
    String yaml = "a:\n  # -- the b\n  # continued\n  b: {c: 1}\n  d: 2\n# -- top\ne: \"\"\n";
    assertThat(ValuesTable.rows(yaml)).containsExactly(
      new ValuesTable.Row("a.b", java.util.Map.of("c", 1), "the b continued"),
      new ValuesTable.Row("e", "", "top"));
    assertThat(ValuesTable.compact(java.util.Map.of("c", java.util.List.of(1, "x")))).isEqualTo("{c: [1, x]}");
  }
}
