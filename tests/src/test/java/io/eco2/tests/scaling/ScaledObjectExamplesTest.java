package io.eco2.tests.scaling;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example ScaledObjects of {@code docs/keda/} are valid against KEDA's CRD schema (a copy in the test
 * resources): required fields, types, enums and no unknown fields, by a small structural validator of the
 * OpenAPI v3 subset the CRD uses.
 */
class ScaledObjectExamplesTest {

  private static final Path DOCS = Path.of("..", "docs", "keda");

  @SuppressWarnings("unchecked")
  private static Map<String, Object> schema() throws IOException {
    try (InputStream in = ScaledObjectExamplesTest.class.getResourceAsStream("/keda/keda.sh_scaledobjects.yaml")) {
      Map<String, Object> crd = new Yaml().load(in);
      Map<String, Object> version = ((List<Map<String, Object>>) ((Map<String, Object>) crd.get("spec")).get("versions")).get(0);
      return (Map<String, Object>) ((Map<String, Object>) version.get("schema")).get("openAPIV3Schema");
    }
  }

  @SuppressWarnings("unchecked")
  static void validate(Object value, Map<String, Object> schema, String path, List<String> errors) {
    String type = (String) schema.get("type");
    if (schema.containsKey("enum") && !((List<Object>) schema.get("enum")).contains(value)) {
      errors.add(path + ": " + value + " not in " + schema.get("enum"));
    }
    if (schema.containsKey("anyOf") || Boolean.TRUE.equals(schema.get("x-kubernetes-int-or-string"))) {
      if (!(value instanceof String || value instanceof Integer)) {
        errors.add(path + ": must be an integer or a string");
      }
      return;
    }
    if (type == null) {
      return;
    }
    switch (type) {
      case "object" -> {
        if (!(value instanceof Map<?, ?> map)) {
          errors.add(path + ": must be an object");
          return;
        }
        Map<String, Object> props = (Map<String, Object>) schema.get("properties");
        for (Object req : (List<Object>) schema.getOrDefault("required", List.of())) {
          if (!map.containsKey(req)) {
            errors.add(path + ": missing required " + req);
          }
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
          String key = String.valueOf(e.getKey());
          if (props != null && props.containsKey(key)) {
            validate(e.getValue(), (Map<String, Object>) props.get(key), path + "." + key, errors);
          } else if (schema.get("additionalProperties") instanceof Map<?, ?> extra) {
            validate(e.getValue(), (Map<String, Object>) extra, path + "." + key, errors);
          } else if (props != null && !Boolean.TRUE.equals(schema.get("x-kubernetes-preserve-unknown-fields"))) {
            errors.add(path + ": unknown field " + key);
          }
        }
      }
      case "array" -> {
        if (!(value instanceof List<?> list)) {
          errors.add(path + ": must be an array");
          return;
        }
        for (int i = 0; i < list.size(); i++) {
          validate(list.get(i), (Map<String, Object>) schema.get("items"), path + "[" + i + "]", errors);
        }
      }
      case "string" -> {
        if (!(value instanceof String)) {
          errors.add(path + ": must be a string, got " + value);
        }
      }
      case "integer" -> {
        if (!(value instanceof Integer || value instanceof Long)) {
          errors.add(path + ": must be an integer, got " + value);
        }
      }
      case "boolean" -> {
        if (!(value instanceof Boolean)) {
          errors.add(path + ": must be a boolean");
        }
      }
      default -> {
      }
    }
  }

  private static List<String> errorsOf(Object doc) throws IOException {
    List<String> errors = new ArrayList<>();
    validate(doc, schema(), "", errors);
    return errors;
  }

  @Test
  void bothExampleScaledObjectsMatchTheCrdSchema() throws IOException {
    for (String name : List.of("scaledobject-metrics-api.yaml", "scaledobject-external.yaml")) {
      Map<String, Object> doc = new Yaml().load(Files.readString(DOCS.resolve(name)));
      assertThat(errorsOf(doc)).as(name).isEmpty();
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
  void theValidatorRejectsWhatTheCrdForbids() throws IOException {
    Map<String, Object> bad = new Yaml().load("apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nspec:\n"
      + "  minReplicaCount: two\n  triggers:\n    - metadata: {url: x}\n  unknownField: 1\n");
    assertThat(errorsOf(bad)).anyMatch(e -> e.contains("scaleTargetRef")).anyMatch(e -> e.contains("minReplicaCount"))
      .anyMatch(e -> e.contains("type")).anyMatch(e -> e.contains("unknownField"));
  }
}
