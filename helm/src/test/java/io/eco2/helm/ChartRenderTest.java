package io.eco2.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart lints cleanly in strict mode, and every values file of {@code ci/} renders objects the API server
 * would accept: built-in kinds bind strictly to the Kubernetes model, KEDA's and the Prometheus Operator's
 * against their CRD schemas, and nothing else is rendered.
 */
class ChartRenderTest {

  private static final Map<String, CrdSchema> CRDS = Map.of(
    "keda.sh/v1alpha1/ScaledObject", CrdSchema.load("keda.sh_scaledobjects.yaml"),
    "keda.sh/v1alpha1/TriggerAuthentication", CrdSchema.load("keda.sh_triggerauthentications.yaml"),
    "monitoring.coreos.com/v1/ServiceMonitor", CrdSchema.load("monitoring.coreos.com_servicemonitors.yaml"));

  static Stream<String> valuesFiles() {
    return RenderedChart.ciValuesFiles();
  }

  @Test
  void strictLintPasses() {
    LintResult lint = new Helm(RenderedChart.CHART).lint().strict().call();
    assertThat(lint.isFailed()).as("lint: %s", lint.getMessages()).isFalse();
    assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @Test
  void everyDeploymentShapeHasAValuesFile() {
    assertThat(valuesFiles().toList()).contains("defaults-values.yaml", "production-values.yaml", "keda-off-values.yaml",
      "hpa-off-values.yaml", "existing-secret-values.yaml", "external-scaler-values.yaml");
  }

  @ParameterizedTest
  @MethodSource("valuesFiles")
  void everyBuiltInObjectBindsStrictlyToTheKubernetesModel(String values) {
    RenderedChart chart = RenderedChart.render(values);
    List<Map<String, Object>> builtIn = chart.objects().stream().filter(StrictBinding::knows).toList();
    assertThat(builtIn).isNotEmpty();
    builtIn.forEach(StrictBinding::bind);
  }

  @ParameterizedTest
  @MethodSource("valuesFiles")
  void everyCustomResourceMatchesItsCrdSchema(String values) {
    RenderedChart chart = RenderedChart.render(values);
    for (Map<String, Object> object : chart.objects()) {
      String key = object.get("apiVersion") + "/" + object.get("kind");
      if (StrictBinding.knows(object)) {
        continue;
      }
      assertThat(CRDS).as("%s is neither a built-in type nor a CRD the tests know", key).containsKey(key);
      assertThat(CRDS.get(key).errorsOf(object)).as("%s %s against %s", key, RenderedChart.name(object), CRDS.get(key)).isEmpty();
    }
  }
}
