package io.eco2.engine.plugin;

import java.io.IOException;
import java.net.URL;
import java.util.Enumeration;
import java.util.List;

/**
 * The parent of every plugin's class loader: the Java platform, plus the engine's API and the libraries it
 * is written against (Vert.x with Netty, Jackson, Micrometer), taken from the engine's own class loader so
 * that a plugin and the engine share those classes. Everything else on the engine's class path — its
 * implementation's other dependencies, the built-in stages, their service lists — is invisible to plugins,
 * so a plugin brings its own libraries in its jar and they cannot clash with the engine's.
 */
final class ApiClassLoader extends ClassLoader {

  /** Package prefixes a plugin sees from the engine. */
  static final List<String> EXPOSED_PACKAGES = List.of(
    "io.eco2.engine.", "io.vertx.", "io.netty.", "com.fasterxml.jackson.", "io.micrometer.");

  static {
    registerAsParallelCapable();
  }

  private final ClassLoader engine;

  ApiClassLoader(ClassLoader engine) {
    super("eco2-plugin-api", ClassLoader.getPlatformClassLoader());
    this.engine = engine;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (exposed(name)) {
      return engine.loadClass(name);
    }
    return super.loadClass(name, resolve);
  }

  @Override
  public URL getResource(String name) {
    return exposedResource(name) ? engine.getResource(name) : super.getResource(name);
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    // Never the engine's META-INF/services: a plugin's ServiceLoader must find the plugin's services only.
    return exposedResource(name) ? engine.getResources(name) : super.getResources(name);
  }

  static boolean exposed(String className) {
    for (String prefix : EXPOSED_PACKAGES) {
      if (className.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static boolean exposedResource(String name) {
    String dotted = name.startsWith("/") ? name.substring(1).replace('/', '.') : name.replace('/', '.');
    return exposed(dotted);
  }
}
