package io.eco2.engine.plugin;

import io.eco2.engine.api.ApiSurface;
import io.eco2.engine.llm.LlmProviderFactory;
import io.eco2.engine.llm.none.NoLlmProviderFactory;
import io.eco2.engine.llm.openai.OpenAiProviderFactory;
import io.eco2.engine.stage.Stage;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Every stage, LLM provider and API surface an engine can use, by name, each with where it came from: the
 * engine itself (its LLM providers), the application ({@link Components}), the class path, or a plugin jar. A name declared twice, wherever, is
 * an error naming both places: which of two stages called {@code ocr} runs must never depend on jar order.
 */
public final class Catalog {

  /** Origin of the engine's own LLM providers ({@code openai}, {@code none}), always available. */
  public static final String ENGINE = "the engine";
  /** Origin of components given in code. */
  public static final String APPLICATION = "the application";
  /** Origin of components listed on the engine's class path. */
  public static final String CLASS_PATH = "the class path";

  private record Entry<T>(T component, String origin) {
  }

  private final Map<String, Entry<Stage>> stages = new LinkedHashMap<>();
  private final Map<String, Entry<LlmProviderFactory>> llmProviders = new LinkedHashMap<>();
  private final Map<String, Entry<ApiSurface>> surfaces = new LinkedHashMap<>();
  private final List<PluginJar> plugins;

  private Catalog(List<PluginJar> plugins) {
    this.plugins = List.copyOf(plugins);
  }

  /**
   * Assembles the catalog: the application's components, the class path's (when {@link Components#discoverClassPath()}),
   * then every plugin of {@code pluginsDir}. Blocking: call it off the event loop.
   *
   * @throws PluginException naming the jar and the component at fault
   */
  public static Catalog assemble(Components given, ClassLoader engineLoader, Path pluginsDir) {
    List<PluginJar> jars = PluginLoader.load(pluginsDir, engineLoader);
    Catalog c = new Catalog(jars);
    try {
      for (LlmProviderFactory f : List.of(new OpenAiProviderFactory(), new NoLlmProviderFactory())) {
        c.add("LLM provider", c.llmProviders, f, LlmProviderFactory::name, ENGINE);
      }
      given.stages().forEach(s -> c.add("stage", c.stages, s, Stage::name, APPLICATION));
      given.llmProviders().forEach(f -> c.add("LLM provider", c.llmProviders, f, LlmProviderFactory::name, APPLICATION));
      given.surfaces().forEach(s -> c.add("API surface", c.surfaces, s, ApiSurface::name, APPLICATION));
      if (given.discoverClassPath()) {
        ServiceLoader.load(Stage.class, engineLoader).forEach(s -> c.add("stage", c.stages, s, Stage::name, CLASS_PATH));
        ServiceLoader.load(LlmProviderFactory.class, engineLoader)
          .forEach(f -> c.add("LLM provider", c.llmProviders, f, LlmProviderFactory::name, CLASS_PATH));
        ServiceLoader.load(ApiSurface.class, engineLoader).forEach(s -> c.add("API surface", c.surfaces, s, ApiSurface::name, CLASS_PATH));
      }
      for (PluginJar jar : jars) {
        jar.stages().forEach(s -> c.add("stage", c.stages, s, Stage::name, jar.label()));
        jar.llmProviders().forEach(f -> c.add("LLM provider", c.llmProviders, f, LlmProviderFactory::name, jar.label()));
        jar.surfaces().forEach(s -> c.add("API surface", c.surfaces, s, ApiSurface::name, jar.label()));
      }
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
    PluginLoader.log(pluginsDir, jars);
    return c;
  }

  private <T> void add(String kind, Map<String, Entry<T>> map, T component, Function<T, String> name, String origin) {
    String n;
    try {
      n = name.apply(component);
    } catch (RuntimeException e) {
      throw new PluginException(origin + ": " + kind + " " + component.getClass().getName() + " failed to tell its name: " + e, e);
    }
    if (n == null || n.isBlank()) {
      throw new PluginException(origin + ": " + kind + " " + component.getClass().getName() + " has no name");
    }
    Entry<T> before = map.putIfAbsent(n, new Entry<>(component, origin));
    // The very same class found again (an engine built-in still listed in an older jar's services) is no conflict.
    if (before != null && before.component().getClass() != component.getClass()) {
      throw new PluginException(origin + ": " + kind + " '" + n + "' is declared twice: by " + describe(before)
        + " and by " + describe(new Entry<>(component, origin)) + "; remove one of them");
    }
  }

  private static String describe(Entry<?> e) {
    return e.origin() + " (" + e.component().getClass().getName() + ")";
  }

  /** The stages available, by name, in the order they were found. */
  public Map<String, Stage> stages() {
    Map<String, Stage> out = new LinkedHashMap<>();
    stages.forEach((name, e) -> out.put(name, e.component()));
    return out;
  }

  /** Where the stage of that name came from: {@link #APPLICATION}, {@link #CLASS_PATH} or a jar's path. */
  public String stageOrigin(String name) {
    Entry<Stage> e = stages.get(name);
    return e == null ? null : e.origin();
  }

  /** @throws IllegalArgumentException naming {@code llm.provider} and the providers there are */
  public LlmProviderFactory llmProvider(String name) {
    Entry<LlmProviderFactory> e = llmProviders.get(name);
    if (e == null) {
      throw new IllegalArgumentException("llm.provider: no provider named '" + name + "' on the class path or in the plugins (found: "
        + new TreeSet<>(llmProviders.keySet()) + ")");
    }
    return e.component();
  }

  /**
   * The surface {@code api.surface} names; empty means the only one there is.
   *
   * @throws IllegalArgumentException naming {@code api.surface} and the surfaces there are
   */
  public ApiSurface surface(String name) {
    TreeSet<String> found = new TreeSet<>(surfaces.keySet());
    if (name == null || name.isEmpty()) {
      if (found.size() == 1) {
        return surfaces.get(found.first()).component();
      }
      throw new IllegalArgumentException(found.isEmpty()
        ? "api.surface: no API surface on the class path or in the plugins (add a jar that provides io.eco2.engine.api.ApiSurface)"
        : "api.surface: several API surfaces are available " + found + "; name one");
    }
    Entry<ApiSurface> e = surfaces.get(name);
    if (e == null) {
      throw new IllegalArgumentException("api.surface: no API surface named '" + name + "' (found: " + found + ")");
    }
    return e.component();
  }

  /** The plugin jars loaded, in load order. */
  public List<PluginJar> plugins() {
    return plugins;
  }

  /** Closes the plugins' class loaders; call it once nothing of theirs runs any more. */
  public void close() {
    plugins.forEach(PluginJar::close);
  }
}
