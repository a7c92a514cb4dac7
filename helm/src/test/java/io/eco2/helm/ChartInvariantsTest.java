package io.eco2.helm;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.eco2.engine.config.ConfigLoader;
import io.eco2.engine.runtime.PipelineOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What must hold between the rendered objects for the release to work, for every values file of {@code ci/}:
 * what selects what, what refers to what, and what the lifecycle needs.
 */
class ChartInvariantsTest {

  private static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  static Stream<String> valuesFiles() {
    return RenderedChart.ciValuesFiles();
  }

  @ParameterizedTest
  @MethodSource("valuesFiles")
  void deploymentSelectorsMatchTheirOwnPodsAndNoOtherDeployments(String values) {
    List<Deployment> deployments = ChartObjects.deployments(RenderedChart.render(values));
    assertThat(deployments).extracting(d -> d.getMetadata().getName()).containsExactlyInAnyOrder(ChartObjects.API, ChartObjects.WORKER);
    for (Deployment d : deployments) {
      for (Deployment other : deployments) {
        boolean selects = ChartObjects.selects(d.getSpec().getSelector().getMatchLabels(), other.getSpec().getTemplate().getMetadata().getLabels());
        assertThat(selects).as("%s selects %s's pods", d.getMetadata().getName(), other.getMetadata().getName()).isEqualTo(d == other);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("valuesFiles")
  void everyServiceSelectsExactlyOneDeploymentAndTheApiServiceNoWorker(String values) {
    RenderedChart chart = RenderedChart.render(values);
    List<Deployment> deployments = ChartObjects.deployments(chart);
    for (Map<String, Object> o : chart.all("Service")) {
      Service s = (Service) StrictBinding.bind(o);
      List<String> selected = deployments.stream()
        .filter(d -> ChartObjects.selects(s.getSpec().getSelector(), d.getSpec().getTemplate().getMetadata().getLabels()))
        .map(d -> d.getMetadata().getName()).toList();
      assertThat(selected).as("pods selected by Service %s", s.getMetadata().getName()).hasSize(1);
      Deployment target = deployments.stream().filter(d -> d.getMetadata().getName().equals(selected.get(0))).findFirst().orElseThrow();
      Set<String> ports = ChartObjects.container(target).getPorts().stream().map(ContainerPort::getName).collect(Collectors.toSet());
      s.getSpec().getPorts().forEach(p -> assertThat(ports).as("targetPort of %s", s.getMetadata().getName()).contains(p.getTargetPort().getStrVal()));
    }
    Service api = chart.bound(Service.class, "Service", ChartObjects.API);
    assertThat(ChartObjects.selects(api.getSpec().getSelector(),
      ChartObjects.deployment(chart, ChartObjects.WORKER).getSpec().getTemplate().getMetadata().getLabels())).isFalse();
  }

  @ParameterizedTest
  @MethodSource("valuesFiles")
  void disruptionBudgetsCoverOneDeploymentEach(String values) {
    RenderedChart chart = RenderedChart.render(values);
    List<Deployment> deployments = ChartObjects.deployments(chart);
    List<Map<String, Object>> pdbs = chart.all("PodDisruptionBudget");
    assertThat(pdbs).hasSize(2);
    for (Map<String, Object> o : pdbs) {
      PodDisruptionBudget pdb = (PodDisruptionBudget) StrictBinding.bind(o);
      assertThat(deployments.stream().filter(d -> ChartObjects.selects(pdb.getSpec().getSelector().getMatchLabels(),
        d.getSpec().getTemplate().getMetadata().getLabels()))).hasSize(1);
    }
  }

  @ParameterizedTest
  @MethodSource("valuesFiles")
  void probesUseDeclaredPortsAndTheEnginesHealthPaths(String values) {
    for (Deployment d : ChartObjects.deployments(RenderedChart.render(values))) {
      Container c = ChartObjects.container(d);
      Set<String> ports = c.getPorts().stream().map(ContainerPort::getName).collect(Collectors.toSet());
      Map<String, Probe> probes = Map.of("startup", c.getStartupProbe(), "liveness", c.getLivenessProbe(), "readiness", c.getReadinessProbe());
      probes.forEach((kind, probe) -> {
        assertThat(probe).as("%s probe of %s", kind, d.getMetadata().getName()).isNotNull();
        assertThat(ports).as("%s probe port", kind).contains(probe.getHttpGet().getPort().getStrVal());
      });
      assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
      assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/live");
      assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/health/live");
      assertThat(c.getLifecycle().getPreStop().getExec().getCommand()).first().isEqualTo("sleep");
    }
  }

  @ParameterizedTest
  @MethodSource("valuesFiles")
  void everyReferencedConfigMapAndSecretKeyIsRenderedOrTheExistingSecret(String values) {
    RenderedChart chart = RenderedChart.render(values);
    String existing = existingSecret(values);
    for (PodTemplateSpec pod : ChartObjects.pods(chart)) {
      for (Container c : pod.getSpec().getContainers()) {
        for (EnvVar e : Objects.requireNonNullElse(c.getEnv(), List.<EnvVar>of())) {
          if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
            var ref = e.getValueFrom().getSecretKeyRef();
            assertReferenced(chart, "Secret", ref.getName(), ref.getKey(), existing, Boolean.TRUE.equals(ref.getOptional()));
          }
        }
      }
      for (Volume v : Objects.requireNonNullElse(pod.getSpec().getVolumes(), List.<Volume>of())) {
        if (v.getConfigMap() != null) {
          v.getConfigMap().getItems().forEach(i -> assertReferenced(chart, "ConfigMap", v.getConfigMap().getName(), i.getKey(), null, false));
        }
        if (v.getSecret() != null) {
          v.getSecret().getItems().forEach(i -> assertReferenced(chart, "Secret", v.getSecret().getSecretName(), i.getKey(), existing, false));
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static void assertReferenced(RenderedChart chart, String kind, String name, String key, String existing, boolean optional) {
    if (existing != null && kind.equals("Secret")) {
      assertThat(name).as("the Secret referenced with existingSecret").isEqualTo(existing);
      assertThat(chart.find("Secret", name)).as("a Secret the chart must not create").isEmpty();
      return;
    }
    Map<String, Object> object = chart.get(kind, name);
    Map<String, Object> data = new java.util.HashMap<>();
    Stream.of("data", "stringData").map(object::get).filter(Objects::nonNull).forEach(m -> data.putAll((Map<String, Object>) m));
    if (!optional) {
      assertThat(data).as("%s %s", kind, name).containsKey(key);
    }
  }

  @SuppressWarnings("unchecked")
  private static String existingSecret(String values) {
    try {
      Map<String, Object> v = new Yaml().load(java.nio.file.Files.readString(RenderedChart.CI.resolve(values)));
      Map<String, Object> secrets = v == null ? null : (Map<String, Object>) v.get("secrets");
      String name = secrets == null ? null : (String) secrets.get("existingSecret");
      return name == null || name.isEmpty() ? null : name;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest
  @MethodSource("valuesFiles")
  void autoscalersTargetRenderedDeploymentsWhichThenSetNoReplicas(String values) {
    RenderedChart chart = RenderedChart.render(values);
    Deployment api = ChartObjects.deployment(chart, ChartObjects.API);
    Deployment worker = ChartObjects.deployment(chart, ChartObjects.WORKER);
    List<Map<String, Object>> hpas = chart.all("HorizontalPodAutoscaler");
    assertThat(api.getSpec().getReplicas() == null).as("api replicas unset iff HPA").isEqualTo(!hpas.isEmpty());
    for (Map<String, Object> o : hpas) {
      HorizontalPodAutoscaler hpa = (HorizontalPodAutoscaler) StrictBinding.bind(o);
      assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
      assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(ChartObjects.API);
    }
    List<Map<String, Object>> scaled = chart.all("ScaledObject");
    assertThat(worker.getSpec().getReplicas() == null).as("worker replicas unset iff KEDA").isEqualTo(!scaled.isEmpty());
    for (Map<String, Object> so : scaled) {
      Map<String, Object> target = (Map<String, Object>) ((Map<String, Object>) so.get("spec")).get("scaleTargetRef");
      assertThat(target).containsEntry("kind", "Deployment").containsEntry("name", ChartObjects.WORKER);
    }
  }

  @ParameterizedTest
  @MethodSource("valuesFiles")
  @SuppressWarnings("unchecked")
  void theWorkersGracePeriodCoversDrainAndTheLongestStageAttempt(String values) throws IOException {
    RenderedChart chart = RenderedChart.render(values);
    Map<String, Object> defaults;
    try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(ConfigLoader.DEFAULTS_RESOURCE)) {
      defaults = new Yaml().load(in);
    }
    Map<String, Object> config = ChartObjects.engineConfig(chart);
    // The pipeline and its stage sections' defaults are in the image's defaults layer (the stages module's);
    // pipeline.drain-seconds is a DEFAULT_ constant of the engine.
    Map<String, Object> pipeline = (Map<String, Object>) config.getOrDefault("pipeline", Map.of());
    List<String> defaultStages = (List<String>) ((Map<String, Object>) defaults.get("pipeline")).get("stages");
    long drain = ((Number) pipeline.getOrDefault("drain-seconds", PipelineOptions.DEFAULT_DRAIN_SECONDS)).longValue();
    long longestMs = 0;
    Map<String, Object> engineStages = (Map<String, Object>) defaults.get("stages");
    Map<String, Object> stages = (Map<String, Object>) config.getOrDefault("stages", Map.of());
    for (String stage : (List<String>) pipeline.getOrDefault("stages", defaultStages)) {
      Map<String, Object> own = (Map<String, Object>) stages.getOrDefault(stage, Map.of());
      longestMs = Math.max(longestMs, ((Number) own.getOrDefault("timeout-ms", ((Map<String, Object>) engineStages.get(stage)).get("timeout-ms"))).longValue());
    }
    Deployment worker = ChartObjects.deployment(chart, ChartObjects.WORKER);
    long preStop = Long.parseLong(ChartObjects.container(worker).getLifecycle().getPreStop().getExec().getCommand().get(1));
    assertThat(worker.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
      .isGreaterThanOrEqualTo(preStop + drain + (longestMs + 999) / 1000);
  }

  @ParameterizedTest
  @MethodSource("valuesFiles")
  void everyPodRunsLockedDown(String values) {
    for (PodTemplateSpec pod : ChartObjects.pods(RenderedChart.render(values))) {
      var psc = pod.getSpec().getSecurityContext();
      assertThat(psc.getRunAsNonRoot()).isTrue();
      assertThat(psc.getRunAsUser()).isPositive();
      assertThat(psc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
      assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
      for (Container c : pod.getSpec().getContainers()) {
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(c.getResources().getLimits()).containsKey("memory");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("valuesFiles")
  void everyNameIsAValidDns1123Name(String values) {
    RenderedChart chart = RenderedChart.render(values);
    List<String> bad = new ArrayList<>();
    for (Map<String, Object> o : chart.objects()) {
      String name = RenderedChart.name(o);
      if (!DNS_1123_LABEL.matcher(name).matches() || name.length() > 63) {
        bad.add(o.get("kind") + "/" + name);
      }
    }
    assertThat(bad).isEmpty();
    for (Map<String, Object> o : chart.all("Deployment")) {
      ChartObjects.container((Deployment) StrictBinding.bind(o)).getPorts()
        .forEach(p -> assertThat(p.getName()).matches(DNS_1123_LABEL).hasSizeLessThanOrEqualTo(15));
    }
  }

  @ParameterizedTest
  @MethodSource("valuesFiles")
  void theEngineRecommendsWithinTheScaledObjectsBounds(String values) {
    RenderedChart chart = RenderedChart.render(values);
    for (Map<String, Object> so : chart.all("ScaledObject")) {
      @SuppressWarnings("unchecked") Map<String, Object> spec = (Map<String, Object>) so.get("spec");
      @SuppressWarnings("unchecked") Map<String, Object> scaling = (Map<String, Object>) ChartObjects.engineConfig(chart).get("scaling");
      assertThat(scaling.get("max-replicas")).isEqualTo(spec.get("maxReplicaCount"));
      assertThat(scaling.get("min-replicas")).isEqualTo(spec.get("minReplicaCount"));
    }
  }

}
