package io.eco2.engine;

import io.eco2.engine.plugin.SpiVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The product's version, as {@code --version}, the ready line and {@code /health/live} report it.
 *
 * <p>Read from the jar manifest's {@code Implementation-Version} (the fat jar's, set by the build); when the
 * classes are not in a jar with one (a run from {@code target/classes}, as in tests), from a resource the
 * build fills in with the project version. Never null: {@value #UNKNOWN} when neither is there.
 */
public final class EngineVersion {

  /** What {@link #current()} answers when the build recorded no version. */
  public static final String UNKNOWN = "unknown";
  /** The product name {@link #describe()} starts with. */
  public static final String PRODUCT = "eco2-pipeline";

  private static final String CURRENT = read();

  private EngineVersion() {
  }

  /** The product version, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static String current() {
    return CURRENT;
  }

  /** One line naming product, version and plugin SPI, e.g. {@code eco2-pipeline 0.1.0-SNAPSHOT (SPI 1.0)}. */
  public static String describe() {
    return PRODUCT + " " + CURRENT + " (SPI " + SpiVersion.CURRENT + ")";
  }

  private static String read() {
    Package pkg = EngineVersion.class.getPackage();
    String fromManifest = pkg == null ? null : pkg.getImplementationVersion();
    if (fromManifest != null && !fromManifest.isBlank()) {
      return fromManifest.trim();
    }
    try (InputStream in = EngineVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return UNKNOWN;
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "").trim();
      // An unfiltered copy (an IDE that ignores Maven filtering) still says ${project.version}.
      return v.isEmpty() || v.startsWith("${") ? UNKNOWN : v;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read io/eco2/engine/version.properties", e);
    }
  }
}
