package io.eco2.engine.plugin;

import io.eco2.engine.api.ApiSurface;
import io.eco2.engine.llm.LlmProviderFactory;
import io.eco2.engine.stage.Stage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

/**
 * Loads every {@code *.jar} of a plugins directory, in file-name order, each in a class loader of its own
 * whose parent is an {@link ApiClassLoader}. A jar that cannot be used — unreadable, no or incompatible
 * {@value SpiVersion#MANIFEST_ATTRIBUTE}, a listed class that cannot be loaded or instantiated, nothing
 * listed at all — fails the whole load with a {@link PluginException} naming the jar and the class or
 * stage at fault. Blocking (file I/O and class loading): call it off the event loop.
 */
public final class PluginLoader {

  private static final System.Logger LOG = System.getLogger(PluginLoader.class.getName());

  private PluginLoader() {
  }

  /**
   * @param dir the plugins directory; when it does not exist there are no plugins
   * @param engineLoader the class loader of the engine (whose API and libraries plugins see)
   */
  public static List<PluginJar> load(Path dir, ClassLoader engineLoader) {
    if (!Files.isDirectory(dir)) {
      if (Files.exists(dir)) {
        throw new PluginException(dir + ": plugins.dir is not a directory");
      }
      return List.of();
    }
    List<Path> jars = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.jar")) {
      files.forEach(jars::add);
    } catch (IOException e) {
      throw new PluginException(dir + ": plugins.dir cannot be listed: " + e.getMessage(), e);
    }
    jars.sort(null);
    ApiClassLoader api = new ApiClassLoader(engineLoader);
    List<PluginJar> loaded = new ArrayList<>();
    try {
      for (Path jar : jars) {
        loaded.add(loadJar(jar, api));
      }
    } catch (RuntimeException e) {
      loaded.forEach(PluginJar::close);
      throw e;
    }
    return loaded;
  }

  private static PluginJar loadJar(Path jar, ApiClassLoader api) {
    Manifest manifest;
    List<String> stageClasses;
    try (JarFile file = new JarFile(jar.toFile())) {
      manifest = file.getManifest();
      stageClasses = listed(file, Stage.class);
    } catch (IOException e) {
      throw new PluginException(jar + ": cannot be read as a jar (" + e.getMessage() + ")", e);
    }
    Attributes main = manifest == null ? new Attributes() : manifest.getMainAttributes();
    String declared = main.getValue(SpiVersion.MANIFEST_ATTRIBUTE);
    String what = stageClasses.isEmpty() ? "" : " (stages " + stageClasses + ")";
    if (declared == null) {
      throw new PluginException(jar + ": its manifest declares no " + SpiVersion.MANIFEST_ATTRIBUTE
        + " (the plugin SPI it was built against; this engine implements " + SpiVersion.CURRENT + ")" + what);
    }
    SpiVersion spi;
    try {
      spi = SpiVersion.parse(declared);
    } catch (IllegalArgumentException e) {
      throw new PluginException(jar + ": " + SpiVersion.MANIFEST_ATTRIBUTE + ": " + e.getMessage() + what);
    }
    if (!SpiVersion.CURRENT.accepts(spi)) {
      throw new PluginException(jar + ": built for plugin SPI " + spi + ", but this engine implements SPI " + SpiVersion.CURRENT
        + " and loads plugins built for " + SpiVersion.CURRENT + " or an older " + SpiVersion.CURRENT.major() + ".x" + what);
    }
    URLClassLoader loader;
    try {
      loader = new URLClassLoader("eco2-plugin:" + jar.getFileName(), new URL[] {jar.toUri().toURL()}, api);
    } catch (MalformedURLException e) {
      throw new PluginException(jar + ": " + e.getMessage(), e);
    }
    try {
      List<Stage> stages = instances(jar, loader, Stage.class, "stage");
      List<LlmProviderFactory> llms = instances(jar, loader, LlmProviderFactory.class, "LLM provider");
      List<ApiSurface> surfaces = instances(jar, loader, ApiSurface.class, "API surface");
      if (stages.isEmpty() && llms.isEmpty() && surfaces.isEmpty()) {
        throw new PluginException(jar + ": lists no stage, LLM provider or API surface in META-INF/services");
      }
      String title = main.getValue(Attributes.Name.IMPLEMENTATION_TITLE);
      String version = main.getValue(Attributes.Name.IMPLEMENTATION_VERSION);
      String file = jar.getFileName().toString();
      return new PluginJar(jar, title != null ? title : file.substring(0, file.length() - ".jar".length()),
        version != null ? version : "unversioned", spi, loader, stages, llms, surfaces);
    } catch (RuntimeException | LinkageError e) {
      try {
        loader.close();
      } catch (IOException ignored) {
        // failing anyway
      }
      throw e instanceof PluginException p ? p : new PluginException(jar + ": " + e, e);
    }
  }

  private static <T> List<T> instances(Path jar, ClassLoader loader, Class<T> type, String kind) {
    List<T> out = new ArrayList<>();
    ServiceLoader<T> services = ServiceLoader.load(type, loader);
    var it = services.iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          return out;
        }
        T instance = it.next();
        if (instance.getClass().getClassLoader() != loader) {
          // Listed by the jar but resolved elsewhere: the class lives in a package the engine exposes.
          throw new PluginException(jar + ": " + kind + " class " + instance.getClass().getName()
            + " is in a package reserved for the engine " + ApiClassLoader.EXPOSED_PACKAGES + "; move it to a package of the plugin's own");
        }
        out.add(instance);
      } catch (ServiceConfigurationError e) {
        throw new PluginException(jar + ": " + kind + " " + describe(e), e);
      }
    }
  }

  // ServiceConfigurationError messages read "io.eco2.engine.stage.Stage: Provider x.Y not found"; keep what
  // names the class and why, and the cause (a missing dependency, an exception in the constructor).
  private static String describe(ServiceConfigurationError e) {
    String message = String.valueOf(e.getMessage());
    int colon = message.indexOf(": ");
    String rest = colon > 0 ? message.substring(colon + 2) : message;
    if (rest.startsWith("Provider ")) {
      rest = "class " + rest.substring("Provider ".length());
    }
    Throwable cause = e.getCause();
    return cause == null ? rest : rest + ": " + cause;
  }

  /** The class names a jar lists for {@code type}, read without loading anything (for messages). */
  private static List<String> listed(JarFile file, Class<?> type) throws IOException {
    ZipEntry entry = file.getEntry("META-INF/services/" + type.getName());
    if (entry == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(file.getInputStream(entry), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        int hash = line.indexOf('#');
        String name = (hash >= 0 ? line.substring(0, hash) : line).trim();
        if (!name.isEmpty()) {
          out.add(name);
        }
      }
    }
    return out;
  }

  /** Logs what {@link #load} found, one line per plugin. */
  static void log(Path dir, List<PluginJar> plugins) {
    if (plugins.isEmpty()) {
      LOG.log(System.Logger.Level.INFO, "Plugins: none in " + dir);
      return;
    }
    LOG.log(System.Logger.Level.INFO, "Plugins: " + plugins.size() + " loaded from " + dir);
    plugins.forEach(p -> LOG.log(System.Logger.Level.INFO, "Plugin " + p.describe()));
  }
}
