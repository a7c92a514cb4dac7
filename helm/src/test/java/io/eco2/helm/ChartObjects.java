package io.eco2.helm;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.yaml.snakeyaml.Yaml;

import java.util.List;
import java.util.Map;

/** Typed views of a rendered chart: its Deployments' pods, the engine configuration, the helm test Pod. */
final class ChartObjects {

  static final String API = RenderedChart.RELEASE + "-eco2-pipeline-api";
  static final String WORKER = RenderedChart.RELEASE + "-eco2-pipeline-worker";

  private ChartObjects() {
  }

  static Map<String, Object> configMap(RenderedChart chart) {
    return chart.get("ConfigMap", RenderedChart.RELEASE + "-eco2-pipeline-config");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> data(Map<String, Object> configMap) {
    return (Map<String, Object>) configMap.get("data");
  }

  /** The engine configuration the pods read (the ConfigMap's application.yaml), parsed. */
  static Map<String, Object> engineConfig(RenderedChart chart) {
    return new Yaml().load((String) data(configMap(chart)).get("application.yaml"));
  }

  static List<Deployment> deployments(RenderedChart chart) {
    return chart.all("Deployment").stream().map(o -> (Deployment) StrictBinding.bind(o)).toList();
  }

  static Deployment deployment(RenderedChart chart, String name) {
    return chart.bound(Deployment.class, "Deployment", name);
  }

  /** Every pod the release would run: both Deployments' templates and the helm test Pod. */
  static List<PodTemplateSpec> pods(RenderedChart chart) {
    List<PodTemplateSpec> pods = new java.util.ArrayList<>(deployments(chart).stream().map(d -> d.getSpec().getTemplate()).toList());
    for (Map<String, Object> o : chart.all("Pod")) {
      Pod p = (Pod) StrictBinding.bind(o);
      pods.add(new PodTemplateSpec(p.getMetadata(), p.getSpec()));
    }
    return pods;
  }

  static Container container(Deployment d) {
    return only(d.getSpec().getTemplate().getSpec());
  }

  static Container only(PodSpec spec) {
    if (spec.getContainers().size() != 1) {
      throw new AssertionError("expected one container, got " + spec.getContainers().size());
    }
    return spec.getContainers().get(0);
  }

  /** True when every label of {@code selector} is on {@code labels}. */
  static boolean selects(Map<String, String> selector, Map<String, String> labels) {
    return selector != null && !selector.isEmpty() && labels != null && labels.entrySet().containsAll(selector.entrySet());
  }
}
