package io.eco2.engine.config;

import io.eco2.engine.auth.AuthOptions;
import io.eco2.engine.eventlog.EventLogOptions;
import io.eco2.engine.logging.LogOptions;
import io.eco2.engine.http.ApiOptions;
import io.eco2.engine.http.HttpOptions;
import io.eco2.engine.http.UiOptions;
import io.eco2.engine.llm.LlmOptions;
import io.eco2.engine.plugin.PluginOptions;
import io.eco2.engine.runtime.PipelineOptions;
import io.eco2.engine.runtime.WatchdogOptions;
import io.eco2.engine.scaling.ScalingOptions;
import io.eco2.engine.sse.SseOptions;
import io.eco2.engine.transport.rabbitmq.RabbitMqOptions;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * The whole engine configuration as typed options: one data object per section, built once by
 * {@link ConfigLoader#loadOptions} and handed down; nothing outside {@code config} reads the raw tree.
 *
 * <p><b>Adding a configuration key</b> (the one way; a test fails on any step left out):
 * <ol>
 *   <li>in the section's options class (e.g. {@link HttpOptions}): a documented {@code DEFAULT_*}
 *       constant, the field initialised from it, getter and fluent setter, and the key in both the
 *       {@code JsonObject} constructor and {@code toJson()};</li>
 *   <li>in {@link ConfigSchema}: one {@code key(path, rule, DEFAULT_*, doc)} line; the constant is the
 *       engine's default, neutral (a product's own default goes in its defaults layer,
 *       {@link ConfigLoader#DEFAULTS_RESOURCE}: the Eco² ones in the stages module's);</li>
 *   <li>in {@code conf/application.yaml}: the key with the fat jar's default value and a comment;</li>
 *   <li>regenerate the README table (it documents the fat jar, so the test is the stages module's):
 *       {@code mvn -B -ntp -o test -pl testkit,engine,stages -Dtest=ConfigDocsTest
 *       -Dsurefire.failIfNoSpecifiedTests=false -Deco2.docs.write=true} (rewrites the rows between the
 *       {@code config-table} markers; commit the result).</li>
 * </ol>
 * A new section gets its own options class in the package of the capability that reads it, and a field here.
 *
 * <p>A data object in the Vert.x style: {@link #EngineOptions(JsonObject)} reads a configuration tree,
 * keeping the default of every absent key; {@link #toJson()} writes the tree back. {@code stages} holds the
 * {@code stages.<name>} sections as the loader validated them (policy keys that were set, and {@code options}).
 */
public final class EngineOptions {

  /** {@code mode}. */
  public static final Mode DEFAULT_MODE = Mode.EMBEDDED;
  /** {@code role}. */
  public static final Role DEFAULT_ROLE = Role.ALL;

  private Mode mode = DEFAULT_MODE;
  private Role role = DEFAULT_ROLE;
  private HttpOptions http = new HttpOptions();
  private AuthOptions auth = new AuthOptions();
  private UiOptions ui = new UiOptions();
  private LogOptions log = new LogOptions();
  private ApiOptions api = new ApiOptions();
  private SseOptions sse = new SseOptions();
  private EventLogOptions eventLog = new EventLogOptions();
  private PipelineOptions pipeline = new PipelineOptions();
  private PluginOptions plugins = new PluginOptions();
  private LlmOptions llm = new LlmOptions();
  private RedisOptions redis = new RedisOptions();
  private RabbitMqOptions rabbitmq = new RabbitMqOptions();
  private ScalingOptions scaling = new ScalingOptions();
  private WatchdogOptions watchdog = new WatchdogOptions();
  private JsonObject stages = new JsonObject();

  public EngineOptions() {
  }

  public EngineOptions(EngineOptions other) {
    this(other.toJson());
  }

  /**
   * Reads a configuration tree (normally the one {@link ConfigLoader#load} validated); absent keys and
   * sections keep their defaults.
   *
   * @throws IllegalArgumentException naming the key when {@code mode} or {@code role} is not a known value
   */
  public EngineOptions(JsonObject json) {
    if (json.getValue("mode") != null) {
      mode = Mode.parse("mode", json.getString("mode"));
    }
    if (json.getValue("role") != null) {
      role = Role.parse("role", json.getString("role"));
    }
    http = new HttpOptions(section(json, "http"));
    auth = new AuthOptions(section(json, "auth")).setApiKeys(http.getApiKeys());
    ui = new UiOptions(section(json, "ui"));
    log = new LogOptions(section(json, "log"));
    api = new ApiOptions(section(json, "api"));
    sse = new SseOptions(section(json, "sse"));
    eventLog = new EventLogOptions(section(json, "event-log"));
    pipeline = new PipelineOptions(section(json, "pipeline"));
    plugins = new PluginOptions(section(json, "plugins"));
    llm = new LlmOptions(section(json, "llm"));
    redis = new RedisOptions(section(json, "redis"));
    rabbitmq = new RabbitMqOptions(section(json, "rabbitmq"));
    scaling = new ScalingOptions(section(json, "scaling"));
    watchdog = new WatchdogOptions(section(json, "watchdog"));
    stages = section(json, ConfigSchema.STAGES).copy();
  }

  private static JsonObject section(JsonObject json, String name) {
    JsonObject s = json.getJsonObject(name);
    return s == null ? new JsonObject() : s;
  }

  /** The configuration tree: every section's keys, and the stage sections. */
  public JsonObject toJson() {
    return new JsonObject().put("mode", mode.toString()).put("role", role.toString())
      .put("http", http.toJson()).put("auth", auth.toJson()).put("ui", ui.toJson()).put("log", log.toJson())
      .put("api", api.toJson()).put("sse", sse.toJson())
      .put("event-log", eventLog.toJson()).put("pipeline", pipeline.toJson()).put("plugins", plugins.toJson()).put("llm", llm.toJson())
      .put("redis", redis.toJson()).put("rabbitmq", rabbitmq.toJson()).put("scaling", scaling.toJson())
      .put("watchdog", watchdog.toJson())
      .put(ConfigSchema.STAGES, stages.copy());
  }

  public Mode getMode() { return mode; }
  public EngineOptions setMode(Mode mode) { this.mode = Objects.requireNonNull(mode); return this; }

  public Role getRole() { return role; }
  public EngineOptions setRole(Role role) { this.role = Objects.requireNonNull(role); return this; }

  public HttpOptions getHttp() { return http; }
  public EngineOptions setHttp(HttpOptions http) { this.http = Objects.requireNonNull(http); return this; }

  /** The {@code auth} section, with {@code http.api-keys}. */
  public AuthOptions getAuth() { return auth; }
  public EngineOptions setAuth(AuthOptions auth) { this.auth = Objects.requireNonNull(auth); return this; }

  public UiOptions getUi() { return ui; }
  public EngineOptions setUi(UiOptions ui) { this.ui = Objects.requireNonNull(ui); return this; }

  public LogOptions getLog() { return log; }
  public EngineOptions setLog(LogOptions log) { this.log = Objects.requireNonNull(log); return this; }

  public ApiOptions getApi() { return api; }
  public EngineOptions setApi(ApiOptions api) { this.api = Objects.requireNonNull(api); return this; }

  public SseOptions getSse() { return sse; }
  public EngineOptions setSse(SseOptions sse) { this.sse = Objects.requireNonNull(sse); return this; }

  public EventLogOptions getEventLog() { return eventLog; }
  public EngineOptions setEventLog(EventLogOptions eventLog) { this.eventLog = Objects.requireNonNull(eventLog); return this; }

  public PipelineOptions getPipeline() { return pipeline; }
  public EngineOptions setPipeline(PipelineOptions pipeline) { this.pipeline = Objects.requireNonNull(pipeline); return this; }

  public PluginOptions getPlugins() { return plugins; }
  public EngineOptions setPlugins(PluginOptions plugins) { this.plugins = Objects.requireNonNull(plugins); return this; }

  public LlmOptions getLlm() { return llm; }
  public EngineOptions setLlm(LlmOptions llm) { this.llm = Objects.requireNonNull(llm); return this; }

  public RedisOptions getRedis() { return redis; }
  public EngineOptions setRedis(RedisOptions redis) { this.redis = Objects.requireNonNull(redis); return this; }

  public RabbitMqOptions getRabbitmq() { return rabbitmq; }
  public EngineOptions setRabbitmq(RabbitMqOptions rabbitmq) { this.rabbitmq = Objects.requireNonNull(rabbitmq); return this; }

  public WatchdogOptions getWatchdog() { return watchdog; }
  public EngineOptions setWatchdog(WatchdogOptions watchdog) { this.watchdog = Objects.requireNonNull(watchdog); return this; }

  public ScalingOptions getScaling() { return scaling; }
  public EngineOptions setScaling(ScalingOptions scaling) { this.scaling = Objects.requireNonNull(scaling); return this; }

  /** The {@code stages.<name>} sections (a copy): the policy keys that were set, and {@code options}. */
  public JsonObject getStages() { return stages.copy(); }
  public EngineOptions setStages(JsonObject stages) { this.stages = Objects.requireNonNull(stages).copy(); return this; }

  /** The section of one stage (a copy; empty when none was configured). */
  public JsonObject stage(String name) {
    JsonObject s = stages.getJsonObject(name);
    return s == null ? new JsonObject() : s.copy();
  }
}
