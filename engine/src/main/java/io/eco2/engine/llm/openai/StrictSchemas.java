package io.eco2.engine.llm.openai;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * Whether a JSON schema may be sent with {@code strict: true}. Strict structured outputs accept only
 * schemas whose every object lists all its properties as required and forbids others
 * ({@code additionalProperties: false}); a map-like object ({@code additionalProperties: {schema}}, as the
 * answer's {@code disposal_steps}) is not allowed, and the server answers 400. Such a schema is sent
 * non-strict: the model is still guided by it and the stage validates the reply either way.
 */
final class StrictSchemas {

  private StrictSchemas() {
  }

  static boolean compatible(Object schema) {
    if (!(schema instanceof JsonObject s)) {
      return true;
    }
    if (isObject(s)) {
      JsonObject props = s.getJsonObject("properties", new JsonObject());
      if (!Boolean.FALSE.equals(s.getValue("additionalProperties"))) {
        return false;
      }
      JsonArray required = s.getJsonArray("required", new JsonArray());
      if (!Set.copyOf(required.getList()).equals(props.fieldNames())) {
        return false;
      }
      for (String p : props.fieldNames()) {
        if (!compatible(props.getValue(p))) {
          return false;
        }
      }
    }
    if (s.containsKey("items") && !compatible(s.getValue("items"))) {
      return false;
    }
    for (String combinator : new String[] {"anyOf", "$defs", "definitions"}) {
      Object v = s.getValue(combinator);
      Iterable<?> parts = v instanceof JsonArray a ? a : v instanceof JsonObject o ? o.getMap().values() : null;
      if (parts != null) {
        for (Object part : parts) {
          if (!compatible(part instanceof java.util.Map<?, ?> m ? new JsonObject((java.util.Map<String, Object>) m) : part)) {
            return false;
          }
        }
      }
    }
    return true;
  }

  private static boolean isObject(JsonObject s) {
    Object type = s.getValue("type");
    return "object".equals(type) || type instanceof JsonArray a && a.contains("object");
  }
}
