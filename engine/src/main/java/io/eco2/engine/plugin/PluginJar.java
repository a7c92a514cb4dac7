package io.eco2.engine.plugin;

import io.eco2.engine.api.ApiSurface;
import io.eco2.engine.llm.LlmProviderFactory;
import io.eco2.engine.stage.Stage;

import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;

/**
 * One jar of the plugins directory, loaded: its class loader and the components its
 * {@code META-INF/services} lists declared.
 *
 * @param path the jar
 * @param title {@code Implementation-Title} of its manifest, else the file name without {@code .jar}
 * @param version {@code Implementation-Version} of its manifest, else {@code "unversioned"}
 * @param spi the SPI version it declares ({@link SpiVersion#MANIFEST_ATTRIBUTE})
 */
public record PluginJar(Path path, String title, String version, SpiVersion spi, URLClassLoader loader,
                        List<Stage> stages, List<LlmProviderFactory> llmProviders, List<ApiSurface> surfaces) {

  public PluginJar {
    stages = List.copyOf(stages);
    llmProviders = List.copyOf(llmProviders);
    surfaces = List.copyOf(surfaces);
  }

  /** The jar as messages name it: the path as configured ({@code plugins/hazard-stage.jar}). */
  public String label() {
    return path.toString();
  }

  /** One line for the start-up log: title, version, file, SPI and what it brings. */
  public String describe() {
    StringBuilder b = new StringBuilder(title).append(' ').append(version).append(" (").append(path.getFileName())
      .append(", SPI ").append(spi);
    if (!stages.isEmpty()) {
      b.append(", stages ").append(stages.stream().map(Stage::name).toList());
    }
    if (!llmProviders.isEmpty()) {
      b.append(", LLM providers ").append(llmProviders.stream().map(LlmProviderFactory::name).toList());
    }
    if (!surfaces.isEmpty()) {
      b.append(", API surfaces ").append(surfaces.stream().map(ApiSurface::name).toList());
    }
    return b.append(')').toString();
  }

  void close() {
    try {
      loader.close();
    } catch (IOException ignored) {
      // the jar stays open until the JVM exits; nothing else depends on it
    }
  }
}
