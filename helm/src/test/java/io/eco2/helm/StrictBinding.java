package io.eco2.helm;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.json.JsonMapper;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binds a rendered object to the Kubernetes API type of its {@code apiVersion}/{@code kind} (fabric8's model,
 * generated from the Kubernetes OpenAPI spec) and refuses what the API server would drop or reject: an unknown
 * field anywhere (fabric8 keeps those in {@code additionalProperties}, which must stay empty), a value of the
 * wrong type, a scalar where an object belongs.
 */
final class StrictBinding {

  /** The API types the chart may render, by {@code apiVersion/kind}. */
  static final Map<String, Class<? extends HasMetadata>> TYPES = Map.of(
    "apps/v1/Deployment", Deployment.class,
    "v1/Service", Service.class,
    "v1/ConfigMap", ConfigMap.class,
    "v1/Secret", Secret.class,
    "v1/ServiceAccount", ServiceAccount.class,
    "v1/Pod", Pod.class,
    "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
    "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
    "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);

  private static final JsonMapper MAPPER = JsonMapper.builder()
    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
    .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
    .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
    .build();

  private StrictBinding() {
  }

  /** True when {@code apiVersion/kind} is a Kubernetes built-in type this binder knows. */
  static boolean knows(Map<String, Object> object) {
    return TYPES.containsKey(object.get("apiVersion") + "/" + object.get("kind"));
  }

  /**
   * The object as its API type.
   *
   * @throws AssertionError naming the object and the field at fault when it does not bind strictly
   */
  static HasMetadata bind(Map<String, Object> object) {
    String key = object.get("apiVersion") + "/" + object.get("kind");
    Class<? extends HasMetadata> type = TYPES.get(key);
    if (type == null) {
      throw new AssertionError(key + " is not a type the chart tests know: add it to StrictBinding.TYPES");
    }
    String name = key + " " + ((Map<?, ?>) object.get("metadata")).get("name");
    HasMetadata bound;
    try {
      bound = MAPPER.convertValue(object, type);
    } catch (RuntimeException e) {
      throw new AssertionError(name + " does not bind to " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
    List<String> unknown = new ArrayList<>();
    unknownFields(bound, "", unknown, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
    if (!unknown.isEmpty()) {
      throw new AssertionError(name + " has fields the Kubernetes API does not define: " + unknown);
    }
    return bound;
  }

  private static void unknownFields(Object value, String path, List<String> out, Set<Object> seen) {
    if (value == null || !seen.add(value)) {
      return;
    }
    if (value instanceof Collection<?> list) {
      int i = 0;
      for (Object item : list) {
        unknownFields(item, path + "[" + i++ + "]", out, seen);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> unknownFields(v, path + "." + k, out, seen));
      return;
    }
    if (!value.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method m : value.getClass().getMethods()) {
      if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
        || m.getDeclaringClass() == Object.class) {
        continue;
      }
      Object child;
      try {
        child = m.invoke(value);
      } catch (ReflectiveOperationException e) {
        continue;
      }
      if (m.getName().equals("getAdditionalProperties")) {
        if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
          extra.keySet().forEach(k -> out.add(path + "." + k));
        }
      } else {
        String field = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
        unknownFields(child, path + "." + field, out, seen);
      }
    }
  }
}
