package io.eco2.helm;

import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A CustomResourceDefinition's {@code openAPIV3Schema} (a copy under {@code src/test/resources/crds}) and a
 * structural validator of the OpenAPI v3 subset CRDs use, applied the way the API server's structural pruning
 * and validation would: required fields, types, enums, int-or-string, and unknown fields refused unless the
 * schema preserves them. Errors name the path ({@code .spec.triggers[0].type}) of the value at fault.
 */
final class CrdSchema {

  private final String resource;
  private final Map<String, Object> schema;

  private CrdSchema(String resource, Map<String, Object> schema) {
    this.resource = resource;
    this.schema = schema;
  }

  /** The served version's schema of the CRD in {@code /crds/<file>}. */
  @SuppressWarnings("unchecked")
  static CrdSchema load(String file) {
    String resource = "/crds/" + file;
    try (InputStream in = CrdSchema.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException(resource + " is not on the test class path");
      }
      Map<String, Object> crd = new Yaml().load(in);
      List<Map<String, Object>> versions = (List<Map<String, Object>>) ((Map<String, Object>) crd.get("spec")).get("versions");
      Map<String, Object> served = versions.stream().filter(v -> Boolean.TRUE.equals(v.get("storage"))).findFirst().orElse(versions.get(0));
      return new CrdSchema(resource, (Map<String, Object>) ((Map<String, Object>) served.get("schema")).get("openAPIV3Schema"));
    } catch (IOException e) {
      throw new UncheckedIOException(resource, e);
    }
  }

  /** Every violation of the schema by {@code document}; empty when it is valid. */
  List<String> errorsOf(Object document) {
    List<String> errors = new ArrayList<>();
    validate(document, schema, "", errors);
    return errors;
  }

  @Override
  public String toString() {
    return resource;
  }

  @SuppressWarnings("unchecked")
  private static void validate(Object value, Map<String, Object> schema, String path, List<String> errors) {
    String type = (String) schema.get("type");
    if (schema.containsKey("enum") && !((List<Object>) schema.get("enum")).contains(value)) {
      errors.add(path + ": " + value + " not in " + schema.get("enum"));
    }
    if (schema.containsKey("anyOf") || Boolean.TRUE.equals(schema.get("x-kubernetes-int-or-string"))) {
      if (!(value instanceof String || value instanceof Integer || value instanceof Long)) {
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
          errors.add(path + ": must be an object, got " + value);
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
      case "number" -> {
        if (!(value instanceof Number)) {
          errors.add(path + ": must be a number, got " + value);
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
}
