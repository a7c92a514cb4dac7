package io.eco2.helm;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example ScaledObjects of {@code docs/keda/} are valid against KEDA's CRD schema (a copy in the test
 * resources): required fields, types, enums and no unknown fields.
 */
class ScaledObjectExamplesTest {

  private static final Path DOCS = Path.of("..", "docs", "keda");
  private static final CrdSchema SCALED_OBJECT = CrdSchema.load("keda.sh_scaledobjects.yaml");

  @Test
  void bothExampleScaledObjectsMatchTheCrdSchema() throws IOException {
    for (String name : List.of("scaledobject-metrics-api.yaml", "scaledobject-external.yaml")) {
      Map<String, Object> doc = new Yaml().load(Files.readString(DOCS.resolve(name)));
      assertThat(SCALED_OBJECT.errorsOf(doc)).as(name).isEmpty();
      assertThat(doc.get("kind")).isEqualTo("ScaledObject");
    }
  }

  @Test
  void theMetricsApiRouteReadsTheWorkerTotalAndTheExternalRouteTheGrpcPort() throws IOException {
    String metricsApi = Files.readString(DOCS.resolve("scaledobject-metrics-api.yaml"));
    assertThat(metricsApi).contains("/scaling/v1/desired").contains("valueLocation: \"workers.desired_replicas\"");
    String external = Files.readString(DOCS.resolve("scaledobject-external.yaml"));
    assertThat(external).contains("type: external-push").contains(":9090");
  }

  @Test
  void theValidatorRejectsWhatTheCrdForbids() {
    Map<String, Object> bad = new Yaml().load("apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nspec:\n"
      + "  minReplicaCount: two\n  triggers:\n    - metadata: {url: x}\n  unknownField: 1\n");
    assertThat(SCALED_OBJECT.errorsOf(bad)).anyMatch(e -> e.contains("scaleTargetRef")).anyMatch(e -> e.contains("minReplicaCount"))
      .anyMatch(e -> e.contains("type")).anyMatch(e -> e.contains("unknownField"));
  }
}
