package io.eco2.engine.plugin;

/**
 * A plugin that cannot be used. Its message is one line naming the jar and the class, stage or
 * declaration at fault, and is what start-up prints before it stops.
 */
public final class PluginException extends IllegalArgumentException {

  public PluginException(String message) {
    super(message);
  }

  public PluginException(String message, Throwable cause) {
    super(message, cause);
  }
}
