package io.eco2.scan.data;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Reads the data bundled under {@code eco2/} on the class path.
 *
 * <p>Every method blocks on class-path I/O: call them at start-up or inside {@code executeBlocking}, never
 * from a stage's {@code process}. A missing or malformed resource fails with an exception naming it.
 */
public final class BundledResources {

  /** The class-path folder that holds the bundled data. */
  public static final String ROOT = "eco2/";

  private BundledResources() {
  }

  /** The text of {@code eco2/<path>} (UTF-8). */
  public static String text(String path) {
    String name = ROOT + path;
    // The stages' own class loader, not the context one: in a fat jar both work, but tests and plugin
    // class loaders may give a thread a context loader that cannot see our resources.
    try (InputStream in = BundledResources.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + ": bundled resource not found on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(name + ": cannot read bundled resource", e);
    }
  }

  /** The JSON object in {@code eco2/<path>}. */
  public static JsonObject json(String path) {
    String text = text(path);
    try {
      return new JsonObject(text);
    } catch (DecodeException e) {
      throw new IllegalStateException(ROOT + path + ": not a JSON object: " + e.getMessage(), e);
    }
  }

  /** {@code template} with every {@code {{key}}} replaced by its value. */
  public static String fill(String template, Map<String, String> values) {
    String out = template;
    for (Map.Entry<String, String> e : values.entrySet()) {
      out = out.replace("{{" + e.getKey() + "}}", e.getValue() == null ? "" : e.getValue());
    }
    return out;
  }
}
