package io.eco2.engine.api;

import java.util.ServiceLoader;
import java.util.TreeMap;

/** Finds the {@link ApiSurface} that {@code api.surface} names among those a class loader offers. */
public final class ApiSurfaces {

  private ApiSurfaces() {
  }

  /**
   * @param name the configured {@code api.surface}; empty means "the only one there is"
   * @throws IllegalArgumentException naming {@code api.surface} and the surfaces found when none or several match
   */
  public static ApiSurface select(String name, ClassLoader loader) {
    TreeMap<String, ApiSurface> found = new TreeMap<>();
    for (ApiSurface s : ServiceLoader.load(ApiSurface.class, loader)) {
      if (found.putIfAbsent(s.name(), s) != null) {
        throw new IllegalArgumentException("api.surface: two API surfaces are named '" + s.name() + "' ("
          + found.get(s.name()).getClass().getName() + ", " + s.getClass().getName() + ")");
      }
    }
    if (name == null || name.isEmpty()) {
      if (found.size() == 1) {
        return found.firstEntry().getValue();
      }
      throw new IllegalArgumentException(found.isEmpty()
        ? "api.surface: no API surface on the class path or in the plugins (add a jar that provides io.eco2.engine.api.ApiSurface)"
        : "api.surface: several API surfaces are available " + found.keySet() + "; name one");
    }
    ApiSurface s = found.get(name);
    if (s == null) {
      throw new IllegalArgumentException("api.surface: no API surface named '" + name + "' (found: " + found.keySet() + ")");
    }
    return s;
  }
}
