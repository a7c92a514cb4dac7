package io.eco2.engine.config;

/**
 * The configuration cannot be used: a key is unknown, a value has the wrong type or range, or the file
 * cannot be read. The message is always one line that names the key (or the file) and what is wrong, so
 * that the launcher can print it as the only line of a failed start-up.
 */
public class ConfigException extends RuntimeException {

  private final String key;

  /**
   * @param key the key path at fault ({@code http.port}), or null when the problem is not about one key
   * @param message one line, starting with the key when there is one
   */
  public ConfigException(String key, String message) {
    super(oneLine(message));
    this.key = key;
  }

  public ConfigException(String key, String message, Throwable cause) {
    super(oneLine(message), cause);
    this.key = key;
  }

  /** The key path at fault, e.g. {@code stages.vision.concurrency}; null for file-level problems. */
  public String key() {
    return key;
  }

  // Messages may embed third-party text (YAML parser errors span several lines); start-up output must not.
  private static String oneLine(String message) {
    return message == null ? "invalid configuration" : message.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }
}
