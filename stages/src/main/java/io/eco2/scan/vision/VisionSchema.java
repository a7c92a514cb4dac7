package io.eco2.scan.vision;

import io.eco2.scan.data.Taxonomy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The JSON schema a vision reply must follow, with the taxonomy in it: {@code major_category} is an
 * {@code enum} of the major categories and {@code middle_category} one of every middle category or null.
 *
 * <p>The enums are built from the bundled taxonomy at start-up rather than written into
 * {@code schemas/vision-reply.json}, so the two cannot drift apart. They keep the schema within what strict
 * structured outputs accept (string enums; a nullable one as {@code anyOf} with {@code {"type": "null"}},
 * the form the OpenAI SDKs generate), so a server in strict mode cannot answer a category outside the
 * taxonomy at all. The middle enum is flat: which middle belongs to which major is left to the prompt and to
 * {@link ClassificationCheck}, because per-major branches would multiply the schema for little gain.
 */
public final class VisionSchema {

  private VisionSchema() {
  }

  /** A copy of {@code base} (the bundled reply schema) whose category fields list {@code taxonomy}'s categories. */
  public static JsonObject of(JsonObject base, Taxonomy taxonomy) {
    JsonObject schema = base.copy();
    JsonObject props = schema.getJsonObject("properties").getJsonObject("classification").getJsonObject("properties");
    Set<String> middles = new LinkedHashSet<>();
    taxonomy.majors().forEach(major -> middles.addAll(taxonomy.middles(major)));
    props.put("major_category", new JsonObject().put("type", "string").put("enum", new JsonArray(taxonomy.majors())));
    props.put("middle_category", new JsonObject().put("anyOf", new JsonArray()
      .add(new JsonObject().put("type", "string").put("enum", new JsonArray(java.util.List.copyOf(middles))))
      .add(new JsonObject().put("type", "null"))));
    return schema;
  }
}
