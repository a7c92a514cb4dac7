package io.eco2.engine.http;

import io.vertx.core.json.JsonObject;

/**
 * The {@code ui} configuration section: the demo page.
 *
 * <p>A data object in the Vert.x style: the {@code DEFAULT_*} constants are the only source of the
 * defaults; {@link #UiOptions(JsonObject)} reads the section and {@link #toJson()} writes it.
 */
public final class UiOptions {

  /** {@code ui.enabled}: the demo page is served at {@code /} (api and all roles). */
  public static final boolean DEFAULT_ENABLED = true;

  private boolean enabled = DEFAULT_ENABLED;

  public UiOptions() {
  }

  /** Reads the {@code ui} section; absent keys keep their defaults. */
  public UiOptions(JsonObject json) {
    enabled = json.getBoolean("enabled", enabled);
  }

  public JsonObject toJson() {
    return new JsonObject().put("enabled", enabled);
  }

  public boolean isEnabled() { return enabled; }
  public UiOptions setEnabled(boolean enabled) { this.enabled = enabled; return this; }
}
