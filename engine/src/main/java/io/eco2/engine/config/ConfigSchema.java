package io.eco2.engine.config;

import io.eco2.engine.auth.AuthOptions;
import io.eco2.engine.eventlog.EventLogOptions;
import io.eco2.engine.http.UiOptions;
import io.eco2.engine.logging.LogOptions;
import io.eco2.engine.http.ApiOptions;
import io.eco2.engine.http.FrontDoorOptions;
import io.eco2.engine.http.HttpOptions;
import io.eco2.engine.llm.LlmOptions;
import io.eco2.engine.llm.LlmOptions.RateLimitOptions;
import io.eco2.engine.llm.LlmOptions.SimulatedOptions;
import io.eco2.engine.plugin.PluginOptions;
import io.eco2.engine.runtime.PipelineOptions;
import io.eco2.engine.runtime.WatchdogOptions;
import io.eco2.engine.scaling.ScalingOptions;
import io.eco2.engine.sse.SseOptions;
import io.eco2.engine.stage.StagePolicy;
import io.eco2.engine.transport.rabbitmq.RabbitMqOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import static io.eco2.engine.config.ValueRule.bool;
import static io.eco2.engine.config.ValueRule.decimal;
import static io.eco2.engine.config.ValueRule.integer;
import static io.eco2.engine.config.ValueRule.list;
import static io.eco2.engine.config.ValueRule.oneOf;
import static io.eco2.engine.config.ValueRule.optionalText;
import static io.eco2.engine.config.ValueRule.text;

/**
 * Every configuration key the engine knows: its rule, its default and its meaning.
 *
 * <p><b>Adding a key</b>: see {@link EngineOptions} (a {@code DEFAULT_*} constant and the field in the
 * section's options class, one {@code key(path, rule, DEFAULT_*, doc)} line here, the key in
 * {@code conf/application.yaml}, the README table regenerated). The default given here is always the
 * options class's constant: the built-in defaults are built from these lines ({@link #defaults()}), so there
 * is no second copy to keep in step. {@code doc} is the user-facing meaning: it is the README table's text.
 *
 * <p>{@code stages} is not listed key by key: it maps any stage name to a section holding
 * {@link StagePolicy}'s keys plus {@code options}, a free-form object owned by the stage. The built-in
 * product's stage sections come from its defaults layer ({@link ConfigLoader#DEFAULTS_RESOURCE}).
 */
final class ConfigSchema {

  /**
   * One key: its dotted path, rule, default (in the rule's canonical type) and what it means, in Markdown (it
   * is the meaning column of the README's configuration table).
   */
  record Key(String path, ValueRule rule, Object defaultValue, String doc) {
  }

  static final String STAGES = "stages";
  static final String OPTIONS = "options";
  static final Pattern STAGE_NAME = Pattern.compile("[a-z][a-z0-9-]*");
  // Event names of the SSE stream that are not stages (CONTRACT §2); a stage of that name would be ambiguous.
  static final Set<String> RESERVED_STAGE_NAMES = Set.of("queued", "done", "error");

  private static final long MAX = Long.MAX_VALUE;
  private static final Map<String, Key> KEYS = new LinkedHashMap<>();

  static {
    key("mode", oneOf("embedded", "distributed"), EngineOptions.DEFAULT_MODE, "`embedded` (event bus + in-memory log); `distributed` (RabbitMQ + Redis)");
    key("role", oneOf("all", "api", "worker"), EngineOptions.DEFAULT_ROLE, "`all`, `api`, `worker` (`--role` overrides); embedded mode runs `all` only");
    key("http.host", text(), HttpOptions.DEFAULT_HOST, "interface the API listens on");
    key("http.port", integer(0, 65535), HttpOptions.DEFAULT_PORT, "port the API listens on (`0` = any free port)");
    key("http.instances", integer(0, 1024), HttpOptions.DEFAULT_INSTANCES, "HTTP server instances sharing the port, one event loop each; `0` = one per CPU core");
    key("http.max-body-bytes", integer(1, Integer.MAX_VALUE), HttpOptions.DEFAULT_MAX_BODY_BYTES, "larger submit bodies get 413");
    key("http.header-timeout-ms", integer(0, MAX), FrontDoorOptions.DEFAULT_HEADER_TIMEOUT_MS, "request line + headers must arrive within this (else 408 and close; cuts off slowloris); `0` = none");
    key("http.body-timeout-ms", integer(0, MAX), FrontDoorOptions.DEFAULT_BODY_TIMEOUT_MS, "a body must arrive within this of its headers (else the connection closes); `0` = none");
    key("http.idle-timeout-seconds", integer(0, Integer.MAX_VALUE / 1000), FrontDoorOptions.DEFAULT_IDLE_TIMEOUT_SECONDS, "connections with nothing read or written this long are closed (SSE keep-alives count); `0` = none");
    key("http.max-connections", integer(1, Integer.MAX_VALUE), FrontDoorOptions.DEFAULT_MAX_CONNECTIONS, "open connections per process; beyond it 503 `TOO_MANY_CONNECTIONS` and close");
    key("http.send-buffer-bytes", integer(0, Integer.MAX_VALUE), FrontDoorOptions.DEFAULT_SEND_BUFFER_BYTES,
      "each connection's kernel send buffer (SO_SNDBUF); `0` = the system's (auto-tuned)");
    key("http.api-keys", list("a list of non-empty strings", s -> !s.isBlank(), false, false).secret(), HttpOptions.DEFAULT_API_KEYS,
      "the `api-key` mode's keys, one user each; with `auth.mode: auto`, non-empty turns authentication on");
    key("http.cors.allowed-origins", list("a list of origins (scheme://host[:port])", ConfigSchema::isOrigin, false, true),
      HttpOptions.DEFAULT_CORS_ALLOWED_ORIGINS, "browser origins allowed to call the API (exact, with credentials); empty = no CORS");
    key("http.management-port", integer(-1, 65535), HttpOptions.DEFAULT_MANAGEMENT_PORT,
      "serve `/health/*`, `/metrics`, `/scaling/*` on this port instead (`-1` = on `http.port`, `0` = any free port)");
    // Users (auth/, CONTRACT §8 "Authentication").
    key("auth.mode", oneOf("auto", "none", "api-key", "jwt"), AuthOptions.DEFAULT_MODE,
      "`none`, `api-key`, `jwt`; `auto` = `api-key` when `http.api-keys` is set, else `none`");
    key("auth.jwt.secret", optionalText().secret(), AuthOptions.DEFAULT_UNSET, "`jwt`: HS256 secret (UTF-8 bytes); exactly one of `secret`, `public-key-file`, `jwks-url` is set");
    key("auth.jwt.public-key-file", optionalText(), AuthOptions.DEFAULT_UNSET, "`jwt`: RS256/ES256 PEM public key file");
    key("auth.jwt.jwks-url", optionalText(), AuthOptions.DEFAULT_UNSET, "`jwt`: a JWKS URL, fetched at first use and again for an unknown `kid`");
    key("auth.jwt.jwks-min-refresh-seconds", integer(1, MAX), AuthOptions.DEFAULT_JWKS_MIN_REFRESH_SECONDS, "`jwt`: the JWKS is fetched again (unknown `kid`) at most once per this interval");
    key("auth.jwt.issuer", optionalText(), AuthOptions.DEFAULT_UNSET, "`jwt`: required `iss` (empty = any)");
    key("auth.jwt.audience", optionalText(), AuthOptions.DEFAULT_UNSET, "`jwt`: required `aud` (empty = any)");
    key("auth.jwt.clock-skew-seconds", integer(0, 3600), AuthOptions.DEFAULT_CLOCK_SKEW_SECONDS, "`jwt`: leeway of `exp`/`nbf`/`iat`");
    key("auth.jwt.user-claim", text(), AuthOptions.DEFAULT_USER_CLAIM, "`jwt`: the claim naming the job's owner");
    key("auth.cookie-name", text(), AuthOptions.DEFAULT_COOKIE_NAME, "cookie the events route reads the credential from (EventSource cannot send headers)");
    key("auth.user-rate-limit.per-minute", integer(0, MAX), AuthOptions.DEFAULT_USER_RATE_LIMIT_PER_MINUTE,
      "submits per user per minute over every API instance (429 `USER_RATE_LIMITED`); 0 = off");
    key("ui.enabled", bool(), UiOptions.DEFAULT_ENABLED, "serve the demo page at `/` (api and all roles)");
    key("api.surface", optionalText(), ApiOptions.DEFAULT_SURFACE, "the API surface serving jobs (`scan`, or a plugin's); empty = the only one available");
    key("api.default-user-input", optionalText(), ApiOptions.DEFAULT_USER_INPUT, "used when a request has no `user_input`");
    key("api.idempotency-ttl-seconds", integer(1, MAX), ApiOptions.DEFAULT_IDEMPOTENCY_TTL_SECONDS, "how long `X-Idempotency-Key` replays the first response");
    key("api.submit-confirm-timeout-ms", integer(1, MAX), ApiOptions.DEFAULT_SUBMIT_CONFIRM_TIMEOUT_MS,
      "a replay (same `X-Idempotency-Key`) of a submit whose first stage's message is still unconfirmed this long after it began admits the same job again (an API that died mid-submit)");
    key("api.overload-retry-after-seconds", integer(0, MAX), ApiOptions.DEFAULT_OVERLOAD_RETRY_AFTER_SECONDS, "`Retry-After` of 429");
    key("api.result-retry-after-seconds", integer(0, MAX), ApiOptions.DEFAULT_RESULT_RETRY_AFTER_SECONDS, "`Retry-After` of 202 from `…/result`");
    key("sse.retry-ms", integer(0, MAX), SseOptions.DEFAULT_RETRY_MS, "the `retry:` sent first on every stream");
    key("sse.keepalive-seconds", decimal(0.01, Double.MAX_VALUE), SseOptions.DEFAULT_KEEPALIVE_SECONDS, "`: keepalive` after this long without a frame (fractions allowed)");
    key("sse.max-duration-seconds", decimal(0.01, Double.MAX_VALUE), SseOptions.DEFAULT_MAX_DURATION_SECONDS, "a stream ends with `STREAM_TIMEOUT` after this long (fractions allowed)");
    key("sse.max-buffered-bytes", integer(1, Integer.MAX_VALUE), SseOptions.DEFAULT_MAX_BUFFERED_BYTES,
      "bytes written to a stream its socket has not taken yet, beyond which a slow client is cut off");
    key("event-log.ttl-seconds", integer(1, MAX), EventLogOptions.DEFAULT_TTL_SECONDS, "events and results expire this long after a job's last event");
    key("event-log.max-jobs", integer(1, MAX), EventLogOptions.DEFAULT_MAX_JOBS, "embedded mode: jobs kept in memory at most (finished jobs evicted, first finished first; running jobs never)");
    key("event-log.max-bytes", integer(0, MAX), EventLogOptions.DEFAULT_MAX_BYTES,
      "embedded mode: estimated heap of the jobs kept in memory at most (finished jobs evicted, first finished first; running jobs never); `0` = a quarter of the maximum heap");
    key("pipeline.stages", list("a list of distinct stage names matching " + STAGE_NAME
        + " other than " + String.join(", ", RESERVED_STAGE_NAMES.stream().sorted().toList()),
        ConfigSchema::isStageName, false, true), PipelineOptions.DEFAULT_STAGES, "the stages, in order (plugin stages by name)");
    key("pipeline.drain-seconds", integer(0, MAX), PipelineOptions.DEFAULT_DRAIN_SECONDS, "SIGTERM: how long accepted jobs may take to finish");
    key("pipeline.cancel-check-ms", integer(10, 60_000), PipelineOptions.DEFAULT_CANCEL_CHECK_MS, "how often a worker looks for cancel requests of the jobs it runs");
    key("watchdog.enabled", bool(), WatchdogOptions.DEFAULT_ENABLED, "re-drive jobs that stopped progressing, and end those that cannot with `error` `STALLED`");
    key("watchdog.sweep-interval-ms", integer(100, MAX), WatchdogOptions.DEFAULT_SWEEP_INTERVAL_MS,
      "how often the process holding the watchdog's lease (one at a time; it lasts three intervals) looks for stalled jobs");
    key("watchdog.margin-ms", integer(0, MAX), WatchdogOptions.DEFAULT_MARGIN_MS,
      "a job is stalled when its last event is older than its current stage's timeout × attempts + backoffs + this");
    key("watchdog.max-redrives", integer(0, 1000), WatchdogOptions.DEFAULT_MAX_REDRIVES,
      "times a stalled job is handed to its stage again (from its last completed stage) before it ends with `STALLED`");
    key("watchdog.batch-size", integer(1, 100_000), WatchdogOptions.DEFAULT_BATCH_SIZE, "jobs one sweep looks at, at most (the longest-silent first)");
    key("log.format", oneOf("text", "json"), LogOptions.DEFAULT_FORMAT, "`text` (one readable line) or `json` (one object per line: `time`, `level`, `logger`, `message`, `job_id` where known)");
    key("log.job-level", oneOf("TRACE", "DEBUG", "INFO", "WARNING", "ERROR", "OFF"), LogOptions.DEFAULT_JOB_LEVEL,
      "level of the line a worker logs per job and stage outcome (logger `io.eco2.engine.jobs`; `OFF` = none)");
    key("plugins.dir", text(), PluginOptions.DEFAULT_DIR, "directory whose `*.jar` files are loaded as plugins (stages, LLM providers, API surfaces); missing = none");
    key("llm.provider", text(), LlmOptions.DEFAULT_PROVIDER, "`simulated` (in process), `openai` (any OpenAI-compatible server), or a plugin's name");
    key("llm.models", list("a list of distinct non-empty strings", s -> !s.isBlank(), false, true), LlmOptions.DEFAULT_MODELS,
      "allowed `model` values (others: 400 `UNSUPPORTED_MODEL`)");
    key("llm.default-model", optionalText(), LlmOptions.DEFAULT_DEFAULT_MODEL, "the model of a request that names none; one of `llm.models`");
    key("llm.base-url", text(), LlmOptions.DEFAULT_BASE_URL, "`openai`: calls go to `{base-url}/chat/completions`");
    key("llm.api-key", optionalText().secret(), LlmOptions.DEFAULT_API_KEY, "`openai`: bearer key; never logged");
    key("llm.api-key-file", optionalText(), LlmOptions.DEFAULT_API_KEY_FILE, "`openai`: a file holding the key (read at start-up)");
    key("llm.connect-timeout-ms", integer(1, MAX), LlmOptions.DEFAULT_CONNECT_TIMEOUT_MS, "`openai`: TCP/TLS connect limit");
    key("llm.response-timeout-ms", integer(1, MAX), LlmOptions.DEFAULT_RESPONSE_TIMEOUT_MS, "`openai`: whole-response limit (then the request is reset, `LLM_TIMEOUT`)");
    key("llm.max-connections", integer(0, 100_000), LlmOptions.DEFAULT_MAX_CONNECTIONS, "`openai`: pooled connections per process; `0` = the LLM stages' concurrency (Σ instances × concurrency over `scaling.llm-stages`, 12,288 by default), so no call waits");
    key("llm.max-wait-queue", integer(0, MAX), LlmOptions.DEFAULT_MAX_WAIT_QUEUE, "`openai`: calls that may wait for a pooled connection (beyond, or after waiting connect + response timeout: `LLM_CLIENT_BUSY`); `0` = as `llm.max-connections` resolves");
    key("llm.max-output-tokens", integer(1, MAX), LlmOptions.DEFAULT_MAX_OUTPUT_TOKENS, "`openai`: `max_completion_tokens` of each call (also reserved against the token limit)");
    key("llm.max-retries", integer(0, 20), LlmOptions.DEFAULT_MAX_RETRIES, "`openai`: in-call retries of 429, 408/409, 5xx and connection errors");
    key("llm.retry-backoff-initial-ms", integer(0, MAX), LlmOptions.DEFAULT_RETRY_BACKOFF_INITIAL_MS, "`openai`: first in-call retry delay (doubles)");
    key("llm.retry-backoff-max-ms", integer(0, MAX), LlmOptions.DEFAULT_RETRY_BACKOFF_MAX_MS, "`openai`: longest in-call retry delay");
    key("llm.rate-limit.requests-per-minute", integer(0, MAX), RateLimitOptions.DEFAULT_REQUESTS_PER_MINUTE, "requests per model per minute, over every process (0 = unlimited)");
    key("llm.rate-limit.tokens-per-minute", integer(0, MAX), RateLimitOptions.DEFAULT_TOKENS_PER_MINUTE, "tokens per model per minute, over every process (0 = unlimited)");
    key("llm.rate-limit.max-wait-ms", integer(0, MAX), RateLimitOptions.DEFAULT_MAX_WAIT_MS, "how long a call waits for budget before `LLM_QUOTA_WAIT_EXCEEDED` (retried)");
    key("llm.simulated.latency-scale", decimal(0, Double.MAX_VALUE), SimulatedOptions.DEFAULT_LATENCY_SCALE, "multiplies simulated latencies (`0` = instant)");
    key("llm.simulated.vision-mean-ms", integer(0, MAX), SimulatedOptions.DEFAULT_VISION_MEAN_MS, "simulated vision call: mean of its log-normal latency");
    key("llm.simulated.vision-p99-ms", integer(0, MAX), SimulatedOptions.DEFAULT_VISION_P99_MS, "simulated vision call: 99th percentile latency");
    key("llm.simulated.answer-mean-ms", integer(0, MAX), SimulatedOptions.DEFAULT_ANSWER_MEAN_MS, "simulated answer call: mean of its log-normal latency");
    key("llm.simulated.answer-p99-ms", integer(0, MAX), SimulatedOptions.DEFAULT_ANSWER_P99_MS, "simulated answer call: 99th percentile latency");
    key("redis.url", text().secret(), RedisOptions.DEFAULT_URL, "distributed mode: Redis (`redis://[:password@]host:port[/db]`)");
    key("redis.key-prefix", text(), RedisOptions.DEFAULT_KEY_PREFIX, "prefix of every Redis key and of the notification channel");
    key("redis.pool-size", integer(1, 1024), RedisOptions.DEFAULT_POOL_SIZE, "pooled connections for commands, per process (plus one live-event connection)");
    key("redis.pool-waiters", integer(1, MAX), RedisOptions.DEFAULT_POOL_WAITERS, "commands that may wait for a pooled connection");
    key("redis.reconnect-initial-ms", integer(1, MAX), RedisOptions.DEFAULT_RECONNECT_INITIAL_MS, "first delay before the live-event connection reconnects");
    key("redis.reconnect-max-ms", integer(1, MAX), RedisOptions.DEFAULT_RECONNECT_MAX_MS, "longest delay between its reconnect attempts");
    key("rabbitmq.url", text().secret(), RabbitMqOptions.DEFAULT_URL, "distributed mode: RabbitMQ (`amqp://user:pass@host:port/vhost`)");
    key("rabbitmq.queue-prefix", text(), RabbitMqOptions.DEFAULT_QUEUE_PREFIX, "prefix of every queue (`{prefix}.{stage}`, `{prefix}.{stage}.dlq`, …)");
    key("rabbitmq.reconnect-initial-ms", integer(1, MAX), RabbitMqOptions.DEFAULT_RECONNECT_INITIAL_MS, "first delay before reconnecting (with jitter)");
    key("rabbitmq.reconnect-max-ms", integer(1, MAX), RabbitMqOptions.DEFAULT_RECONNECT_MAX_MS, "longest delay between reconnect attempts");
    key("rabbitmq.confirm-timeout-ms", integer(1, MAX), RabbitMqOptions.DEFAULT_CONFIRM_TIMEOUT_MS, "a publish not confirmed by then fails (and its delivery is retried)");
    key("rabbitmq.max-pending-confirms", integer(1, MAX), RabbitMqOptions.DEFAULT_MAX_PENDING_CONFIRMS, "publishes awaiting a confirm at most; beyond it publishers wait");
    // Scaling (scaling/Autoscaler, docs/SCALING.md).
    key("scaling.enabled", bool(), ScalingOptions.DEFAULT_ENABLED, "the autoscaler (api, all roles) and worker reports (distributed workers)");
    key("scaling.interval-ms", integer(50, MAX), ScalingOptions.DEFAULT_INTERVAL_MS, "how often the autoscaler decides");
    key("scaling.window-seconds", decimal(1, Double.MAX_VALUE), ScalingOptions.DEFAULT_WINDOW_SECONDS, "window of arrival rates and service times");
    key("scaling.target-drain-seconds", decimal(0.1, Double.MAX_VALUE), ScalingOptions.DEFAULT_TARGET_DRAIN_SECONDS, "a backlog should drain within this time (Little's law target)");
    key("scaling.min-replicas", integer(0, 10_000), ScalingOptions.DEFAULT_MIN_REPLICAS, "fewest worker replicas recommended");
    key("scaling.max-replicas", integer(1, 10_000), ScalingOptions.DEFAULT_MAX_REPLICAS, "most worker replicas recommended");
    key("scaling.scale-down-stabilization-seconds", decimal(0, Double.MAX_VALUE), ScalingOptions.DEFAULT_SCALE_DOWN_STABILIZATION_SECONDS, "a lower recommendation must hold this long before it is followed");
    key("scaling.elastic-concurrency", bool(), ScalingOptions.DEFAULT_ELASTIC_CONCURRENCY, "embedded mode: the decisions resize each stage's concurrency");
    key("scaling.min-concurrency", integer(1, 1_000_000), ScalingOptions.DEFAULT_MIN_CONCURRENCY, "elastic concurrency: least per worker instance");
    key("scaling.max-concurrency", integer(1, 1_000_000), ScalingOptions.DEFAULT_MAX_CONCURRENCY, "elastic concurrency: most per worker instance");
    key("scaling.grpc-port", integer(-1, 65535), ScalingOptions.DEFAULT_GRPC_PORT, "KEDA external scaler (gRPC); `-1` off, `0` any free port");
    key("scaling.worker-report-interval-ms", integer(50, MAX), ScalingOptions.DEFAULT_WORKER_REPORT_INTERVAL_MS, "distributed mode: how often each worker reports to Redis");
    key("scaling.llm-stages", list("a list of stage names", ConfigSchema::isStageName, false, true), ScalingOptions.DEFAULT_LLM_STAGES,
      "stages whose LLM calls wait on the provider's quota: the rate-limit gate's waits count for them");
  }

  /** Rules that relate two keys; each throws {@link ConfigException} naming the key at fault. */
  private static final List<Consumer<JsonObject>> CROSS_CHECKS = List.of(
    ConfigSchema::checkAuth,
    config -> {
      // SSE keep-alives are what keeps a quiet stream from counting as idle.
      int idle = config.getJsonObject("http").getInteger("idle-timeout-seconds");
      double keepalive = config.getJsonObject("sse").getDouble("keepalive-seconds");
      if (idle > 0 && keepalive >= idle) {
        throw new ConfigException("sse.keepalive-seconds", "sse.keepalive-seconds: must be shorter than http.idle-timeout-seconds ("
          + idle + "), or idle SSE streams would be closed; got " + ValueRule.render(keepalive, false));
      }
    },
    config -> {
      JsonObject scaling = config.getJsonObject("scaling");
      if (scaling.getInteger("min-replicas") > scaling.getInteger("max-replicas")) {
        throw new ConfigException("scaling.min-replicas", "scaling.min-replicas: must not exceed scaling.max-replicas ("
          + scaling.getInteger("max-replicas") + "), got " + scaling.getInteger("min-replicas"));
      }
      if (scaling.getInteger("min-concurrency") > scaling.getInteger("max-concurrency")) {
        throw new ConfigException("scaling.min-concurrency", "scaling.min-concurrency: must not exceed scaling.max-concurrency ("
          + scaling.getInteger("max-concurrency") + "), got " + scaling.getInteger("min-concurrency"));
      }
    },
    config -> {
      JsonObject llm = config.getJsonObject("llm");
      String model = llm.getString("default-model");
      JsonArray models = llm.getJsonArray("models");
      // No models and no default (the engine's own neutral defaults) is consistent; anything else must match.
      if (!models.contains(model) && !(models.isEmpty() && model.isEmpty())) {
        throw new ConfigException("llm.default-model", "llm.default-model: must be one of llm.models "
          + llm.getJsonArray("models").encode() + ", got " + ValueRule.render(model, false));
      }
    }
  );

  private static final JsonObject POLICY_DEFAULTS = new StagePolicy().toJson();
  private static final Set<String> POLICY_KEYS = Set.copyOf(POLICY_DEFAULTS.fieldNames());

  private ConfigSchema() {
  }

  private static void key(String path, ValueRule rule, Object defaultValue, String doc) {
    Object json = defaultValue instanceof Enum<?> ? defaultValue.toString()
      : defaultValue instanceof List<?> l ? new JsonArray(new ArrayList<>(l)) : defaultValue;
    // A constant outside its own rule is a programming error: fail the class initialisation, naming the key.
    Object canonical = rule.check(path, json);
    if (KEYS.putIfAbsent(path, new Key(path, rule, canonical, doc)) != null) {
      throw new IllegalStateException("configuration key registered twice: " + path);
    }
  }

  /**
   * The built-in defaults of every registered key (from the options classes' {@code DEFAULT_*} constants), as
   * a fresh tree: neutral, the engine's own. {@code stages} is not included; products add their pipeline, models
   * and stage sections as defaults layers ({@link ConfigLoader#DEFAULTS_RESOURCE}).
   */
  static JsonObject defaults() {
    JsonObject out = new JsonObject();
    for (Key key : KEYS.values()) {
      Object value = key.defaultValue();
      JsonTrees.put(out, JsonTrees.segments(key.path()), value instanceof JsonArray a ? a.copy() : value);
    }
    return out;
  }

  /** The registered keys (everything but {@code stages}), in registration order. */
  static Map<String, Key> keys() {
    return Collections.unmodifiableMap(KEYS);
  }

  static Key key(String path) {
    return KEYS.get(path);
  }

  /** Whether {@code path} is a section holding registered keys ({@code http}, {@code llm.simulated}). */
  static boolean isSection(String path) {
    String prefix = path + ".";
    return KEYS.keySet().stream().anyMatch(k -> k.startsWith(prefix));
  }

  /** The keys of a stage section besides {@code options}: whatever {@link StagePolicy} reads. */
  static Set<String> policyKeys() {
    return POLICY_KEYS;
  }

  /** {@link StagePolicy}'s own defaults, for stages that no section lists (plugins). */
  static JsonObject policyDefaults() {
    return POLICY_DEFAULTS.copy();
  }

  static boolean isOrigin(String origin) {
    return ORIGIN.matcher(origin).matches();
  }

  private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?|https?://\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?");

  // auth.mode's credentials must be configured: a server that would reject everyone is a mistake, not a policy.
  private static void checkAuth(JsonObject config) {
    JsonObject auth = config.getJsonObject("auth");
    String mode = auth.getString("mode");
    if ("api-key".equals(mode) && config.getJsonObject("http").getJsonArray("api-keys").isEmpty()) {
      throw new ConfigException("auth.mode", "auth.mode: api-key needs at least one key in http.api-keys");
    }
    if ("jwt".equals(mode)) {
      JsonObject jwt = auth.getJsonObject("jwt");
      long sources = java.util.stream.Stream.of("secret", "public-key-file", "jwks-url")
        .filter(k -> !jwt.getString(k, "").isEmpty()).count();
      if (sources != 1) {
        throw new ConfigException("auth.jwt", "auth.jwt: auth.mode jwt needs exactly one of auth.jwt.secret, "
          + "auth.jwt.public-key-file or auth.jwt.jwks-url, got " + sources);
      }
    }
  }

  static boolean isStageName(String name) {
    return STAGE_NAME.matcher(name).matches() && !RESERVED_STAGE_NAMES.contains(name);
  }

  static void crossCheck(JsonObject config) {
    CROSS_CHECKS.forEach(check -> check.accept(config));
  }
}
