package io.eco2.engine.plugin;

/**
 * The version of the plugin SPI ({@code io.eco2.engine.stage}, {@code io.eco2.engine.llm},
 * {@code io.eco2.engine.api}) this engine implements, and the rule a plugin's declared version must meet.
 *
 * <p>A plugin jar declares the version it was built against in its manifest ({@value #MANIFEST_ATTRIBUTE}:
 * {@code MAJOR.MINOR}). It loads when its major equals the engine's and its minor is not newer: minors add
 * (a new default method, a new optional type), majors break. See docs/PLUGINS.md, "Versioning".
 */
public record SpiVersion(int major, int minor) implements Comparable<SpiVersion> {

  /** The manifest attribute a plugin jar declares its SPI version in. */
  public static final String MANIFEST_ATTRIBUTE = "Eco2-Spi-Version";
  /** The SPI this engine implements. */
  public static final SpiVersion CURRENT = new SpiVersion(1, 0);

  /** @throws IllegalArgumentException when {@code text} is not {@code MAJOR.MINOR} (or {@code MAJOR}) */
  public static SpiVersion parse(String text) {
    String t = text == null ? "" : text.trim();
    try {
      int dot = t.indexOf('.');
      int major = Integer.parseInt(dot < 0 ? t : t.substring(0, dot));
      int minor = dot < 0 ? 0 : Integer.parseInt(t.substring(dot + 1));
      if (major < 0 || minor < 0) {
        throw new NumberFormatException();
      }
      return new SpiVersion(major, minor);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + t + "' is not an SPI version of the form MAJOR.MINOR");
    }
  }

  /** Whether a plugin built against {@code declared} runs on an engine implementing this version. */
  public boolean accepts(SpiVersion declared) {
    return declared.major == major && declared.minor <= minor;
  }

  @Override
  public int compareTo(SpiVersion o) {
    return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}
