package io.eco2.helm;

import io.eco2.helm.NetworkPolicyModel.Endpoint;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The NetworkPolicies admit exactly the release's flows: users (or the ingress) and the helm test Pod to the
 * API port, KEDA's namespace to the scaler endpoint, Prometheus to /metrics; out only DNS, Redis, RabbitMQ and
 * (workers) the LLM endpoint. Everything else is refused.
 */
class NetworkPolicyTest {

  private static final String NS = RenderedChart.NAMESPACE;

  private record Cluster(NetworkPolicyModel policies, Endpoint api, Endpoint worker, Endpoint test, Endpoint user,
                         Endpoint ingress, Endpoint keda, Endpoint prometheus, Endpoint dns, Endpoint redis,
                         Endpoint rabbitmq, Endpoint llm, Endpoint otherPod, int http, int grpc) {
  }

  private static Cluster cluster(String values) {
    RenderedChart chart = RenderedChart.render(values);
    List<NetworkPolicy> policies = chart.all("NetworkPolicy").stream().map(o -> (NetworkPolicy) StrictBinding.bind(o)).toList();
    Deployment apiD = ChartObjects.deployment(chart, ChartObjects.API);
    Deployment workerD = ChartObjects.deployment(chart, ChartObjects.WORKER);
    Map<String, Integer> apiPorts = ports(apiD);
    Map<String, String> testLabels = chart.all("Pod").stream().findFirst()
      .map(o -> ((io.fabric8.kubernetes.api.model.Pod) StrictBinding.bind(o)).getMetadata().getLabels()).orElseThrow();
    return new Cluster(new NetworkPolicyModel(NS, policies),
      Endpoint.pod("api", NS, apiD.getSpec().getTemplate().getMetadata().getLabels(), apiPorts),
      Endpoint.pod("worker", NS, workerD.getSpec().getTemplate().getMetadata().getLabels(), ports(workerD)),
      Endpoint.pod("test", NS, testLabels, Map.of()),
      Endpoint.outside("user", "203.0.113.7"),
      Endpoint.pod("ingress", "ingress-nginx", Map.of("app.kubernetes.io/name", "ingress-nginx"), Map.of()),
      Endpoint.pod("keda-operator", "keda", Map.of("app", "keda-operator"), Map.of()),
      Endpoint.pod("prometheus", "monitoring", Map.of("app.kubernetes.io/name", "prometheus"), Map.of()),
      Endpoint.pod("coredns", "kube-system", Map.of("k8s-app", "kube-dns"), Map.of()),
      Endpoint.pod("redis", "data", Map.of("app", "redis"), Map.of()),
      Endpoint.pod("rabbitmq", "data", Map.of("app", "rabbitmq"), Map.of()),
      Endpoint.outside("llm", "162.159.140.245"),
      Endpoint.pod("other", NS, Map.of("app", "something-else"), Map.of()),
      apiPorts.get("http"), apiPorts.getOrDefault("grpc", 9090));
  }

  private static Map<String, Integer> ports(Deployment d) {
    return ChartObjects.container(d).getPorts().stream().collect(Collectors.toMap(ContainerPort::getName, ContainerPort::getContainerPort));
  }

  @Test
  void withTheDefaultsTheReleaseAdmitsExactlyItsFlows() {
    Cluster c = cluster(null);
    NetworkPolicyModel p = c.policies();
    // in
    assertThat(p.allows(c.user(), c.api(), c.http(), "TCP")).as("users to the API").isTrue();
    assertThat(p.allows(c.test(), c.api(), c.http(), "TCP")).as("helm test to the API").isTrue();
    assertThat(p.allows(c.keda(), c.api(), c.http(), "TCP")).as("KEDA to /scaling/v1/desired").isTrue();
    assertThat(p.allows(c.prometheus(), c.api(), c.http(), "TCP")).as("Prometheus to the API's metrics").isTrue();
    assertThat(p.allows(c.prometheus(), c.worker(), c.http(), "TCP")).as("Prometheus to a worker's metrics").isTrue();
    assertThat(p.allows(c.user(), c.worker(), c.http(), "TCP")).as("users to a worker").isFalse();
    assertThat(p.allows(c.otherPod(), c.worker(), c.http(), "TCP")).as("another pod to a worker").isFalse();
    assertThat(p.allows(c.user(), c.api(), 9090, "TCP")).as("users to another API port").isFalse();
    assertThat(p.allows(c.user(), c.test(), 80, "TCP")).as("anyone to the test Pod").isFalse();
    // out
    for (Endpoint pod : List.of(c.api(), c.worker())) {
      assertThat(p.allows(pod, c.dns(), 53, "UDP")).as("%s to DNS/UDP", pod.name()).isTrue();
      assertThat(p.allows(pod, c.dns(), 53, "TCP")).as("%s to DNS/TCP", pod.name()).isTrue();
      assertThat(p.allows(pod, c.redis(), 6379, "TCP")).as("%s to Redis", pod.name()).isTrue();
      assertThat(p.allows(pod, c.rabbitmq(), 5672, "TCP")).as("%s to RabbitMQ", pod.name()).isTrue();
      assertThat(p.allows(pod, c.redis(), 5432, "TCP")).as("%s to another port", pod.name()).isFalse();
      assertThat(p.allows(pod, c.dns(), 80, "TCP")).as("%s to the DNS namespace on another port", pod.name()).isFalse();
    }
    assertThat(p.allows(c.worker(), c.llm(), 443, "TCP")).as("worker to the LLM").isTrue();
    assertThat(p.allows(c.api(), c.llm(), 443, "TCP")).as("API to the LLM").isFalse();
    assertThat(p.allows(c.worker(), c.api(), c.http(), "TCP")).as("worker to the API").isFalse();
    assertThat(p.allows(c.test(), c.worker(), c.http(), "TCP")).as("test Pod to a worker").isFalse();
    assertThat(p.allows(c.test(), c.llm(), 443, "TCP")).as("test Pod outside").isFalse();
  }

  @Test
  void restrictedPeersAdmitOnlyTheIngressAndTheDataNamespace() {
    Cluster c = cluster("production-values.yaml");
    NetworkPolicyModel p = c.policies();
    assertThat(p.allows(c.ingress(), c.api(), c.http(), "TCP")).as("ingress controller to the API").isTrue();
    assertThat(p.allows(c.user(), c.api(), c.http(), "TCP")).as("users directly to the API").isFalse();
    assertThat(p.allows(c.test(), c.api(), c.http(), "TCP")).as("helm test to the API").isTrue();
    assertThat(p.allows(c.worker(), c.redis(), 6379, "TCP")).as("worker to Redis in data").isTrue();
    Endpoint elsewhere = Endpoint.pod("redis", "elsewhere", Map.of("app", "redis"), Map.of());
    assertThat(p.allows(c.worker(), elsewhere, 6379, "TCP")).as("worker to a Redis in another namespace").isFalse();
  }

  @Test
  void withTheExternalScalerKedaReachesTheGrpcPortOnly() {
    Cluster c = cluster("external-scaler-values.yaml");
    NetworkPolicyModel p = c.policies();
    assertThat(p.allows(c.keda(), c.api(), c.grpc(), "TCP")).as("KEDA to the gRPC scaler").isTrue();
    assertThat(p.allows(c.user(), c.api(), c.grpc(), "TCP")).as("users to the gRPC scaler").isFalse();
    assertThat(p.allows(c.otherPod(), c.api(), c.grpc(), "TCP")).as("another pod to the gRPC scaler").isFalse();
  }
}
