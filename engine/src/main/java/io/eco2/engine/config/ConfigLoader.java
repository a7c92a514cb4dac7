package io.eco2.engine.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Loads the engine's configuration (CONTRACT §7) as one nested {@link JsonObject}.
 *
 * <p>Sources, later ones winning: the engine's built-in defaults (the options classes' {@code DEFAULT_*}
 * constants as {@link ConfigSchema} registers them: neutral, no stages, no models); the <b>defaults layers</b>
 * of the class path (every {@link #DEFAULTS_RESOURCE} a product or plugin jar ships, e.g. the Eco² stages
 * module's pipeline, models, question and stage sections; see {@link DefaultsLayers}); a
 * YAML file (the path given with {@link #setConfigPath}, else {@code conf/application.yaml} in the working
 * directory when it exists); {@code ECO2_…} environment variables (see {@link #variableName}); overrides
 * set with {@link #setOverride} (command-line flags such as {@code --role}).
 *
 * <p>The loaded object holds every key with a valid value of its canonical type (integers as Integer or
 * Long, decimals as Double, lists as JsonArray), and under {@code stages} a complete section for every
 * stage named there or in {@code pipeline.stages}: the {@code StagePolicy} keys that were set plus {@code options} (an
 * object, possibly empty). Anything wrong (an unknown key in the file, a bad value from any source, a
 * missing or unreadable file given explicitly) fails the future with a {@link ConfigException} whose
 * one-line message names the key or file. A {@code stages.<name>} section in the file for a stage that is not
 * in {@code pipeline.stages} fails too, listing the stages of the pipeline (a misspelt stage name would
 * otherwise configure nothing). An {@code ECO2_} variable that matches no key only logs a warning.
 *
 * <p>{@link #loadOptions} gives the same configuration as typed {@link EngineOptions}: what the engine takes.
 *
 * <p>A loader is a reusable description of where to look; {@link #load} may be called more than once.
 */
public final class ConfigLoader {

  /** The file read when no path is given, relative to the working directory, if it exists. */
  public static final String DEFAULT_CONFIG_PATH = "conf/application.yaml";
  /**
   * The class-path resource a jar ships its defaults layer as: YAML with the same keys as the configuration
   * file, read from every jar that has one (product defaults such as {@code pipeline.stages}, {@code llm.models}
   * and {@code stages.<name>} sections), after the engine's constants and before the file.
   */
  public static final String DEFAULTS_RESOURCE = "META-INF/eco2/defaults.yaml";

  private static final System.Logger LOG = System.getLogger(ConfigLoader.class.getName());
  private static final String BUILT_IN = "built-in defaults";

  private String configPath;
  private Map<String, String> environment = System.getenv();
  private Path workingDirectory = Path.of("");
  private final Map<String, String> overrides = new LinkedHashMap<>();
  private ClassLoader classLoader = ConfigLoader.class.getClassLoader();

  private ConfigLoader() {
  }

  /** A loader reading the default file locations and the process environment. */
  public static ConfigLoader create() {
    return new ConfigLoader();
  }

  /** The environment variable that overrides {@code keyPath}: {@code llm.base-url} → {@code ECO2_LLM_BASE_URL}. */
  public static String variableName(String keyPath) {
    return EnvironmentOverrides.variableName(keyPath);
  }

  /** The YAML file to read ({@code --config PATH}); it must exist. Null restores the default lookup. */
  public ConfigLoader setConfigPath(String path) {
    this.configPath = path;
    return this;
  }

  /** Where relative file paths resolve; defaults to the process's working directory. */
  public ConfigLoader setWorkingDirectory(Path directory) {
    this.workingDirectory = Objects.requireNonNull(directory);
    return this;
  }

  /** Where the defaults layers ({@link #DEFAULTS_RESOURCE}) are looked for; defaults to the engine's class loader. */
  public ConfigLoader setClassLoader(ClassLoader classLoader) {
    this.classLoader = Objects.requireNonNull(classLoader);
    return this;
  }

  /** The variables to read {@code ECO2_…} overrides from; defaults to {@link System#getenv()}. */
  public ConfigLoader setEnvironment(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
    return this;
  }

  /**
   * Sets one key after every other source, as text converted like an environment value (for command-line
   * flags, e.g. {@code setOverride("role", "worker")}). An unknown key fails {@link #load}.
   */
  public ConfigLoader setOverride(String keyPath, String value) {
    overrides.put(Objects.requireNonNull(keyPath), Objects.requireNonNull(value));
    return this;
  }

  /** {@link #load} as typed options: the configuration an engine starts with. */
  public Future<EngineOptions> loadOptions(Vertx vertx) {
    return load(vertx).map(EngineOptions::new);
  }

  /**
   * Reads, merges and validates the configuration. Needs a running {@code vertx} because the file is read
   * through vertx-config; blocking work (the classpath and file-system checks) runs on a worker thread.
   */
  public Future<JsonObject> load(Vertx vertx) {
    return vertx.executeBlocking(this::locate).compose(sources ->
      readFile(vertx, sources).map(file -> assemble(sources, file)));
  }

  /** What {@link #locate} found: the defaults layers, and the file to read (null: none) with its name. */
  private record Sources(DefaultsLayers layers, Path file, String label) {
  }

  private Sources locate() {
    DefaultsLayers layers = DefaultsLayers.find(classLoader);
    String label = configPath != null ? configPath : DEFAULT_CONFIG_PATH;
    Path file = workingDirectory.resolve(label).toAbsolutePath().normalize();
    if (configPath == null) {
      return new Sources(layers, Files.isRegularFile(file) ? file : null, label);
    }
    if (!Files.exists(file)) {
      throw new ConfigException(null, "config file not found: " + configPath);
    }
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(null, "config file is not a regular file: " + configPath);
    }
    return new Sources(layers, file, label);
  }

  private static Future<JsonObject> readFile(Vertx vertx, Sources sources) {
    if (sources.file() == null) {
      return Future.succeededFuture(new JsonObject());
    }
    // An absolute path, because Vert.x resolves a relative one that is missing on disk from the classpath.
    ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions()
      .setScanPeriod(0)
      .addStore(new ConfigStoreOptions().setType("file").setFormat("yaml")
        .setConfig(new JsonObject().put("path", sources.file().toString()))));
    return retriever.getConfig()
      .eventually(retriever::close)
      .recover(e -> {
        // A file of comments only parses to null, which the retriever then fails to merge: it sets no key.
        if (e instanceof NullPointerException) {
          return Future.succeededFuture(new JsonObject());
        }
        return Future.failedFuture(readError(sources.label(), e));
      });
  }

  private static ConfigException readError(String label, Throwable e) {
    if (e instanceof DecodeException && e.getCause() instanceof ClassCastException) {
      return new ConfigException(null, label + ": must hold a YAML mapping of keys at the top level", e);
    }
    if (e instanceof io.vertx.core.file.FileSystemException) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return new ConfigException(null, label + ": cannot be read: " + cause, e);
    }
    return new ConfigException(null, label + ": not valid YAML: " + e.getMessage(), e);
  }

  private JsonObject assemble(Sources sources, JsonObject file) {
    String label = sources.label();
    JsonObject defaults = sources.layers().overConstants();
    ConfigValidator.checkKeys(file, label);

    // Remember where each value came from, so that a bad value's message can point at its source.
    Map<String, String> origins = new HashMap<>(sources.layers().origins());
    JsonTrees.leaves(file).keySet().forEach(path -> origins.put(JsonTrees.dotted(path), "in " + label));
    JsonObject merged = JsonTrees.deepMerge(defaults.copy(), file);
    Map<String, String> fromEnvironment = EnvironmentOverrides.apply(merged, environment);
    fromEnvironment.forEach((key, variable) -> origins.put(key, "from " + variable));
    overrides.forEach((key, text) -> {
      Object value = EnvironmentOverrides.convert(merged, key, text);
      if (value == null) {
        throw new ConfigException(key, "unknown key '" + key + "' in command-line overrides");
      }
      JsonTrees.put(merged, JsonTrees.segments(key), value);
      origins.put(key, "set on the command line");
    });

    JsonObject config;
    try {
      config = ConfigValidator.validate(merged);
    } catch (ConfigException e) {
      String origin = e.key() == null ? null : origins.get(e.key());
      throw origin == null ? e : new ConfigException(e.key(), e.getMessage() + " (" + origin + ")", e);
    }
    ConfigValidator.checkStagesInPipeline(file, config, "in " + label);
    LOG.log(Level.INFO, "Configuration loaded from {0}{1}{2}{3}", BUILT_IN,
      sources.layers().labels().stream().map(layer -> ", defaults layer " + layer).collect(Collectors.joining()),
      sources.file() == null ? "" : ", " + label,
      fromEnvironment.isEmpty() ? "" : ", environment " + String.join(" ", fromEnvironment.values()));
    return config;
  }
}
