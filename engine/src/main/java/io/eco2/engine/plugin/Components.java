package io.eco2.engine.plugin;

import io.eco2.engine.api.ApiSurface;
import io.eco2.engine.llm.LlmProviderFactory;
import io.eco2.engine.stage.Stage;

import java.util.ArrayList;
import java.util.List;

/**
 * What an application embedding the engine hands it in code: stages, LLM providers and API surfaces that
 * join those found on the class path and in the plugins directory (a name given twice stops start-up),
 * and whether the engine serves HTTP itself.
 *
 * <p>The launcher passes an empty one: everything then comes from the class path and {@code plugins.dir}.
 */
public final class Components {

  /** Whether the class path is searched for components by default. */
  public static final boolean DEFAULT_DISCOVER_CLASS_PATH = true;
  /** Whether the engine starts an HTTP server of its own by default. */
  public static final boolean DEFAULT_HTTP_SERVER = true;

  private final List<Stage> stages = new ArrayList<>();
  private final List<LlmProviderFactory> llmProviders = new ArrayList<>();
  private final List<ApiSurface> surfaces = new ArrayList<>();
  private boolean discoverClassPath = DEFAULT_DISCOVER_CLASS_PATH;
  private boolean httpServer = DEFAULT_HTTP_SERVER;

  public Components addStage(Stage stage) {
    stages.add(stage);
    return this;
  }

  public Components addLlmProvider(LlmProviderFactory factory) {
    llmProviders.add(factory);
    return this;
  }

  public Components addSurface(ApiSurface surface) {
    surfaces.add(surface);
    return this;
  }

  /**
   * Whether stages, providers and surfaces listed in the class path's {@code META-INF/services} are used
   * besides those given here. Off: only these and the plugins directory's.
   */
  public Components setDiscoverClassPath(boolean discover) {
    this.discoverClassPath = discover;
    return this;
  }

  /**
   * Whether the engine starts its own HTTP server on {@code http.host}/{@code http.port}. Off: the
   * application serves the routes itself, mounted with {@code Engine#mountRoutes}.
   */
  public Components setHttpServer(boolean httpServer) {
    this.httpServer = httpServer;
    return this;
  }

  public List<Stage> stages() {
    return List.copyOf(stages);
  }

  public List<LlmProviderFactory> llmProviders() {
    return List.copyOf(llmProviders);
  }

  public List<ApiSurface> surfaces() {
    return List.copyOf(surfaces);
  }

  public boolean discoverClassPath() {
    return discoverClassPath;
  }

  public boolean httpServer() {
    return httpServer;
  }
}
