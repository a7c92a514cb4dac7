package io.eco2.helm;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.Pod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code scripts/chart-e2e.sh} runs: the chart rendered by Helm's engine, turned into what a kubelet would
 * run for the api and worker containers and the helm test Pod — their exact args, env (Secret references
 * resolved from the rendered Secret), the ConfigMap's and Secret's files, security context, probes, preStop
 * command and grace period — plus what KEDA and the Prometheus Adapter would read. Writes
 * {@code <out>/plan.json} and the mounted files under {@code <out>/<component>/}.
 *
 * <p>{@code ContainerPlan <values.yaml> <out> <api-port> <worker-port>[,<worker-port>...] [key=value...]}: each
 * worker ({@code worker}, {@code worker2}, ...) is rendered again with {@code service.port=<its port>} because the
 * containers share the host's network, where a cluster gives each pod its own.
 */
public final class ContainerPlan {

  private ContainerPlan() {
  }

  public static void main(String[] args) throws IOException {
    Path values = Path.of(args[0]);
    Path out = Path.of(args[1]);
    Map<String, Object> sets = new LinkedHashMap<>();
    for (int i = 4; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      sets.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    Map<String, Object> apiSets = new LinkedHashMap<>(sets);
    apiSets.put("service.port", Integer.parseInt(args[2]));
    RenderedChart api = RenderedChart.renderFile(values, apiSets);
    Files.createDirectories(out);
    Files.writeString(out.resolve("manifest.yaml"), api.manifest());
    JsonObject plan = new JsonObject()
      .put("api", container(api, ChartObjects.deployment(api, ChartObjects.API).getSpec().getTemplate().getSpec(), out.resolve("api")));
    String[] workerPorts = args[3].split(",");
    for (int i = 0; i < workerPorts.length; i++) {
      Map<String, Object> workerSets = new LinkedHashMap<>(sets);
      workerSets.put("service.port", Integer.parseInt(workerPorts[i]));
      RenderedChart worker = RenderedChart.renderFile(values, workerSets);
      String name = i == 0 ? "worker" : "worker" + (i + 1);
      plan.put(name, container(worker, ChartObjects.deployment(worker, ChartObjects.WORKER).getSpec().getTemplate().getSpec(), out.resolve(name)));
    }
    Pod test = (Pod) StrictBinding.bind(api.all("Pod").get(0));
    plan.put("test", container(api, test.getSpec(), out.resolve("test")));
    api.all("ScaledObject").stream().findFirst().ifPresent(so -> plan.put("scaledObject", JsonObject.of("spec", so.get("spec"))));
    Files.writeString(out.resolve("plan.json"), plan.encodePrettily());
  }

  private static JsonObject container(RenderedChart chart, PodSpec pod, Path dir) throws IOException {
    Container c = ChartObjects.only(pod);
    JsonObject env = new JsonObject();
    for (EnvVar e : Objects.requireNonNullElse(c.getEnv(), List.<EnvVar>of())) {
      if (e.getValueFrom() == null) {
        env.put(e.getName(), e.getValue());
      } else {
        String value = secretValue(chart, e.getValueFrom().getSecretKeyRef().getName(), e.getValueFrom().getSecretKeyRef().getKey());
        if (value != null) {
          env.put(e.getName(), value);
        } else if (!Boolean.TRUE.equals(e.getValueFrom().getSecretKeyRef().getOptional())) {
          throw new IllegalStateException(e.getName() + ": no key " + e.getValueFrom().getSecretKeyRef().getKey() + " in the rendered Secret");
        }
      }
    }
    JsonArray mounts = new JsonArray();
    for (VolumeMount m : Objects.requireNonNullElse(c.getVolumeMounts(), List.<VolumeMount>of())) {
      Volume v = pod.getVolumes().stream().filter(x -> x.getName().equals(m.getName())).findFirst().orElseThrow();
      Path host = dir.resolve(m.getName());
      if (v.getEmptyDir() != null) {
        mounts.add(new JsonObject().put("type", "tmpfs").put("path", m.getMountPath()).put("size", io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(v.getEmptyDir().getSizeLimit()).toBigInteger().toString()));
        continue;
      }
      Files.createDirectories(host);
      if (v.getConfigMap() != null) {
        Map<String, Object> data = ChartObjects.data(ChartObjects.configMap(chart));
        for (var item : v.getConfigMap().getItems()) {
          Files.writeString(host.resolve(item.getPath()), (String) data.get(item.getKey()));
        }
      } else if (v.getSecret() != null) {
        for (var item : v.getSecret().getItems()) {
          Files.writeString(host.resolve(item.getPath()), Objects.requireNonNull(secretValue(chart, v.getSecret().getSecretName(), item.getKey())));
        }
      }
      mounts.add(new JsonObject().put("type", "bind").put("host", host.toAbsolutePath().toString()).put("path", m.getMountPath())
        .put("readOnly", Boolean.TRUE.equals(m.getReadOnly())));
    }
    var sc = c.getSecurityContext();
    var psc = pod.getSecurityContext();
    JsonObject probes = new JsonObject();
    probe(probes, "startup", c.getStartupProbe(), c);
    probe(probes, "liveness", c.getLivenessProbe(), c);
    probe(probes, "readiness", c.getReadinessProbe(), c);
    return new JsonObject()
      .put("image", c.getImage())
      .put("command", c.getCommand() == null ? null : new JsonArray(c.getCommand()))
      .put("args", new JsonArray(Objects.requireNonNullElse(c.getArgs(), List.of())))
      .put("env", env)
      .put("mounts", mounts)
      .put("user", psc.getRunAsUser() + ":" + psc.getRunAsGroup())
      .put("runAsNonRoot", psc.getRunAsNonRoot())
      .put("seccomp", psc.getSeccompProfile().getType())
      .put("readOnlyRootFilesystem", sc.getReadOnlyRootFilesystem())
      .put("allowPrivilegeEscalation", sc.getAllowPrivilegeEscalation())
      .put("capDrop", new JsonArray(sc.getCapabilities().getDrop()))
      .put("memoryLimit", c.getResources().getLimits().get("memory").toString())
      .put("probes", probes)
      .put("preStop", c.getLifecycle() == null ? null : new JsonArray(c.getLifecycle().getPreStop().getExec().getCommand()))
      .put("grace", pod.getTerminationGracePeriodSeconds())
      .put("ports", new JsonObject(c.getPorts() == null ? Map.of() : c.getPorts().stream()
        .collect(java.util.stream.Collectors.toMap(p -> p.getName(), p -> (Object) p.getContainerPort()))));
  }

  private static void probe(JsonObject probes, String kind, Probe p, Container c) {
    if (p == null) {
      return;
    }
    int port = c.getPorts().stream().filter(x -> x.getName().equals(p.getHttpGet().getPort().getStrVal())).findFirst().orElseThrow().getContainerPort();
    probes.put(kind, new JsonObject().put("path", p.getHttpGet().getPath()).put("port", port)
      .put("periodSeconds", p.getPeriodSeconds()).put("failureThreshold", p.getFailureThreshold()).put("timeoutSeconds", p.getTimeoutSeconds()));
  }

  private static String secretValue(RenderedChart chart, String name, String key) {
    Secret s = (Secret) StrictBinding.bind(chart.get("Secret", name));
    if (s.getStringData() != null && s.getStringData().containsKey(key)) {
      return s.getStringData().get(key);
    }
    if (s.getData() != null && s.getData().containsKey(key)) {
      return new String(java.util.Base64.getDecoder().decode(s.getData().get(key)), java.nio.charset.StandardCharsets.UTF_8);
    }
    return null;
  }

}
