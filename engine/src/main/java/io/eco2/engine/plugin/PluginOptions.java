package io.eco2.engine.plugin;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * The {@code plugins} configuration section: where plugin jars are loaded from.
 *
 * <p>A data object in the Vert.x style: the {@code DEFAULT_*} constants are the only source of the
 * defaults; {@link #PluginOptions(JsonObject)} reads the section and {@link #toJson()} writes it.
 */
public final class PluginOptions {

  /** {@code plugins.dir}: relative to the working directory; a missing directory means no plugins. */
  public static final String DEFAULT_DIR = "plugins";

  private String dir = DEFAULT_DIR;

  public PluginOptions() {
  }

  /** Reads the {@code plugins} section; absent keys keep their defaults. */
  public PluginOptions(JsonObject json) {
    dir = json.getString("dir", dir);
  }

  public JsonObject toJson() {
    return new JsonObject().put("dir", dir);
  }

  /** The directory whose {@code *.jar} files are loaded as plugins. */
  public String getDir() { return dir; }
  public PluginOptions setDir(String dir) { this.dir = Objects.requireNonNull(dir); return this; }
}
