package io.eco2.tests.openapi;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/openapi.yaml as a checker of real answers: finds the documented response of an operation and status,
 * checks the content type, the required headers and the body against its JSON schema (Vert.x's JSON-schema
 * validator, draft 2020-12, the dialect of OpenAPI 3.1), and records what was checked, so that a test can
 * demand that every documented response was seen.
 */
final class OpenApiDocument {

  static final Path FILE = Path.of("..", "docs", "openapi.yaml");
  private static final String BASE = "https://eco2.test/";

  private final JsonObject doc;
  private final SchemaRepository schemas;
  private final Set<String> checked = new ConcurrentSkipListSet<>();

  OpenApiDocument() throws IOException {
    Map<String, Object> yaml = new Yaml().load(Files.readString(FILE));
    doc = new JsonObject(yaml);
    schemas = SchemaRepository.create(new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri(BASE));
    // A copy: dereferencing annotates the JSON it is given.
    schemas.dereference(BASE + "openapi.json", JsonSchema.of(doc.copy()));
  }

  JsonObject raw() {
    return doc;
  }

  /** Every documented {@code operationId status} pair. */
  Set<String> documented() {
    Set<String> out = new TreeSet<>();
    doc.getJsonObject("paths").forEach(p -> ((JsonObject) p.getValue()).forEach(m -> {
      if (m.getValue() instanceof JsonObject op && op.containsKey("responses")) {
        op.getJsonObject("responses").fieldNames().forEach(s -> out.add(op.getString("operationId") + " " + s));
      }
    }));
    return out;
  }

  Set<String> checked() {
    return new TreeSet<>(checked);
  }

  private JsonObject operation(String operationId) {
    for (Map.Entry<String, Object> p : doc.getJsonObject("paths")) {
      for (Map.Entry<String, Object> m : (JsonObject) p.getValue()) {
        if (m.getValue() instanceof JsonObject op && operationId.equals(op.getString("operationId"))) {
          return op;
        }
      }
    }
    throw new AssertionError("docs/openapi.yaml has no operation " + operationId);
  }

  // A response object, its $ref followed.
  private JsonObject response(String operationId, int status) {
    JsonObject responses = operation(operationId).getJsonObject("responses");
    JsonObject r = responses.getJsonObject(String.valueOf(status));
    assertThat(r).as("docs/openapi.yaml documents %s answering %s", operationId, status).isNotNull();
    String ref = r.getString("$ref");
    return ref == null ? r : pointer(ref);
  }

  private JsonObject pointer(String ref) {
    JsonObject at = doc;
    for (String part : ref.substring(2).split("/")) {
      at = at.getJsonObject(part);
    }
    return at;
  }

  /** Checks an answer of {@code operationId}: status documented, media type, required headers, body schema. */
  void check(String operationId, HttpResponse<Buffer> r) {
    String what = operationId + " " + r.statusCode() + " " + r.bodyAsString();
    JsonObject response = response(operationId, r.statusCode());
    JsonObject headers = response.getJsonObject("headers", new JsonObject());
    for (String name : headers.fieldNames()) {
      JsonObject h = headers.getJsonObject(name);
      JsonObject header = h.containsKey("$ref") ? pointer(h.getString("$ref")) : h;
      if (header.getBoolean("required", false)) {
        assertThat(r.getHeader(name)).as("header %s of %s", name, what).isNotNull();
        validate(header.getJsonObject("schema"), r.getHeader(name), "header " + name + " of " + what);
      }
    }
    JsonObject content = response.getJsonObject("content");
    if (content == null) {
      assertThat(r.body() == null || r.body().length() == 0).as("no body documented for %s", what).isTrue();
    } else {
      String type = r.getHeader("Content-Type");
      assertThat(type).as("Content-Type of %s", what).isNotNull();
      String mime = type.split(";", 2)[0].trim();
      JsonObject media = content.getJsonObject(mime);
      assertThat(media).as("media type %s documented for %s (documented: %s)", mime, what, content.fieldNames()).isNotNull();
      Object body = mime.endsWith("json") ? r.bodyAsJson(Object.class) : r.bodyAsString();
      validate(media.getJsonObject("schema"), body, what);
    }
    checked.add(operationId + " " + r.statusCode());
  }

  /** Checks one SSE frame's data and event name against the events route's x-sse-data and x-sse-events. */
  void checkFrame(String event, String data) {
    JsonObject media = response("streamEvents", 200).getJsonObject("content").getJsonObject("text/event-stream");
    JsonArray events = media.getJsonArray("x-sse-events");
    assertThat(events.getList()).as("documented SSE event names").contains(event);
    validate(media.getJsonObject("x-sse-data"), new JsonObject(data), "SSE frame " + event + " " + data);
  }

  private void validate(JsonObject schema, Object value, String what) {
    JsonObject resolved = schema.containsKey("$ref")
      ? new JsonObject().put("$ref", BASE + "openapi.json" + schema.getString("$ref")) : schema;
    OutputUnit out = schemas.validator(JsonSchema.of(resolved)).validate(value);
    assertThat(out.getValid()).as("%s against %s: %s", what, schema.encode(), out.getErrors()).isTrue();
  }
}
