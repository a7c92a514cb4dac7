package io.eco2.engine.config;

import io.eco2.engine.stage.StagePolicy;
import io.vertx.core.json.JsonObject;

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
 * Every configuration key the engine knows, with its rule and meaning. Adding a key is one line here plus
 * its default in {@code defaults.yaml} (a test keeps the two in step) and its comment in
 * {@code conf/application.yaml}.
 *
 * <p>{@code stages} is not listed key by key: it maps any stage name to a section holding
 * {@link StagePolicy}'s keys plus {@code options}, a free-form object owned by the stage.
 */
final class ConfigSchema {

  /** One key: its dotted path, rule, and what it means (for people reading this file). */
  record Key(String path, ValueRule rule, String doc) {
  }

  static final String STAGES = "stages";
  static final String OPTIONS = "options";
  static final Pattern STAGE_NAME = Pattern.compile("[a-z][a-z0-9-]*");
  // Event names of the SSE stream that are not stages (CONTRACT §2); a stage of that name would be ambiguous.
  static final Set<String> RESERVED_STAGE_NAMES = Set.of("queued", "done", "error");

  private static final long MAX = Long.MAX_VALUE;
  private static final Map<String, Key> KEYS = new LinkedHashMap<>();

  static {
    key("mode", oneOf("embedded", "distributed"), "embedded: event bus + in-memory log; distributed: RabbitMQ + Redis");
    key("role", oneOf("all", "api", "worker"), "what this process runs; the --role flag overrides it");
    key("http.host", text(), "interface the HTTP server binds");
    key("http.port", integer(0, 65535), "HTTP port; 0 picks any free port (tests)");
    key("http.instances", integer(0, 1024), "HTTP server instances sharing the port, one event loop each; 0 = one per CPU core");
    key("http.max-body-bytes", integer(1, Integer.MAX_VALUE), "largest request body accepted (413 beyond)");
    key("http.header-timeout-ms", integer(0, MAX), "a request's line and headers must arrive within this (408 and close); 0 = none");
    key("http.body-timeout-ms", integer(0, MAX), "a request's body must arrive within this of its headers (else close); 0 = none");
    key("http.idle-timeout-seconds", integer(0, Integer.MAX_VALUE / 1000), "a connection with nothing read or written this long is closed; 0 = none");
    key("http.max-connections", integer(1, Integer.MAX_VALUE), "open HTTP connections per process; one more gets 503 TOO_MANY_CONNECTIONS");
    key("http.send-buffer-bytes", integer(0, Integer.MAX_VALUE), "each connection's kernel send buffer (SO_SNDBUF); 0 = the system's (auto-tuned)");
    key("http.api-keys", list("a list of non-empty strings", s -> !s.isBlank(), false, false).secret(),
      "bearer keys accepted on /api/v1/* (auth.mode api-key; with auth.mode auto, non-empty turns it on)");
    key("http.cors.allowed-origins", list("a list of origins (scheme://host[:port])", ConfigSchema::isOrigin, false, true),
      "browser origins granted CORS (exact match, credentials allowed); empty = no CORS");
    key("http.management-port", integer(-1, 65535), "serve /health/*, /metrics and /scaling/* on this port instead; -1 = on http.port, 0 = any free port");
    // Users (auth/, CONTRACT §8 "Authentication").
    key("auth.mode", oneOf("auto", "none", "api-key", "jwt"), "who may call /api/v1/*: none, api-key (http.api-keys), jwt; auto = api-key when http.api-keys is set, else none");
    key("auth.jwt.secret", optionalText().secret(), "jwt: HS256 shared secret (its UTF-8 bytes are the key)");
    key("auth.jwt.public-key-file", optionalText(), "jwt: PEM file of the RS256 (RSA) or ES256 (EC P-256) public key");
    key("auth.jwt.jwks-url", optionalText(), "jwt: URL of a JSON Web Key Set, fetched at first use and again for an unknown kid");
    key("auth.jwt.jwks-min-refresh-seconds", integer(1, MAX), "jwt: the key set is fetched at most once per this interval");
    key("auth.jwt.issuer", optionalText(), "jwt: required iss claim; empty = any");
    key("auth.jwt.audience", optionalText(), "jwt: required aud claim (one of the token's); empty = any");
    key("auth.jwt.clock-skew-seconds", integer(0, 3600), "jwt: leeway of exp/nbf/iat checks");
    key("auth.jwt.user-claim", text(), "jwt: the claim naming the user who owns a job");
    key("auth.cookie-name", text(), "cookie an EventSource may carry the credential in (events route only)");
    key("auth.user-rate-limit.per-minute", integer(0, MAX), "submits per user per minute over every API instance; 0 = unlimited");
    key("ui.enabled", bool(), "serve the demo page at / (api and all roles)");
    key("api.surface", optionalText(), "the API surface serving jobs (a plugin's name); empty = the only one available");
    key("api.default-user-input", text(), "user_input of a scan request that gives none");
    key("api.idempotency-ttl-seconds", integer(1, MAX), "how long an X-Idempotency-Key is remembered");
    key("api.overload-retry-after-seconds", integer(0, MAX), "Retry-After of a 429 OVERLOADED answer");
    key("api.result-retry-after-seconds", integer(0, MAX), "Retry-After of a 202 from GET …/result");
    key("sse.retry-ms", integer(0, MAX), "reconnect delay announced in the first SSE frame");
    key("sse.keepalive-seconds", decimal(0.01, Double.MAX_VALUE), "idle time before a ': keepalive' comment (fractions allowed)");
    key("sse.max-duration-seconds", decimal(0.01, Double.MAX_VALUE), "longest an SSE stream stays open, then STREAM_TIMEOUT (fractions allowed)");
    key("sse.max-buffered-bytes", integer(1, Integer.MAX_VALUE), "bytes written to a stream its socket has not taken yet, beyond which a slow client is cut off");
    key("event-log.ttl-seconds", integer(1, MAX), "events and results expire this long after a job's last event");
    key("event-log.max-jobs", integer(1, MAX), "embedded mode: jobs kept in memory at most (oldest evicted)");
    key("event-log.max-bytes", integer(0, MAX), "embedded mode: estimated heap of the jobs kept in memory at most (oldest evicted); 0 = a quarter of the maximum heap");
    key("pipeline.stages", list("a non-empty list of distinct stage names matching " + STAGE_NAME
        + " other than " + String.join(", ", RESERVED_STAGE_NAMES.stream().sorted().toList()),
        ConfigSchema::isStageName, true, true), "the stages a job goes through, in order");
    key("pipeline.drain-seconds", integer(0, MAX), "on SIGTERM, how long in-flight jobs may take to finish");
    key("pipeline.cancel-check-ms", integer(10, 60_000), "how often a worker asks whether a job it runs was cancelled");
    key("log.format", oneOf("text", "json"), "log line format: text (one readable line) or json (one object per line, with job_id)");
    key("log.job-level", oneOf("TRACE", "DEBUG", "INFO", "WARNING", "ERROR", "OFF"),
      "level of the one line a worker logs per job and stage outcome (OFF: none)");
    key("plugins.dir", text(), "directory whose *.jar files are loaded as plugins (stages, LLM providers, API surfaces); missing = none");
    key("llm.provider", text(), "LLM provider: simulated, openai, or a plugin's name");
    key("llm.models", list("a non-empty list of distinct non-empty strings", s -> !s.isBlank(), true, true),
      "models a scan request may ask for");
    key("llm.default-model", text(), "model used when a request names none; one of llm.models");
    key("llm.base-url", text(), "openai provider: base URL of the Chat Completions API (…/v1)");
    key("llm.api-key", optionalText().secret(), "openai provider: bearer key; empty = llm.api-key-file or none");
    key("llm.api-key-file", optionalText(), "openai provider: file holding the key (read at start-up); empty = none");
    key("llm.connect-timeout-ms", integer(1, MAX), "openai provider: TCP/TLS connect timeout");
    key("llm.response-timeout-ms", integer(1, MAX), "openai provider: longest wait for a whole response (LLM_TIMEOUT)");
    key("llm.max-connections", integer(0, 100_000), "openai provider: pooled HTTP/1.1 connections per process; 0 = the LLM stages' concurrency");
    key("llm.max-wait-queue", integer(0, MAX), "openai provider: requests that may wait for a pooled connection; 0 = the LLM stages' concurrency");
    key("llm.max-output-tokens", integer(1, MAX), "openai provider: max_completion_tokens of each call");
    key("llm.max-retries", integer(0, 20), "openai provider: in-call retries of 429, 5xx and connection errors");
    key("llm.retry-backoff-initial-ms", integer(0, MAX), "openai provider: first in-call retry delay (doubles)");
    key("llm.retry-backoff-max-ms", integer(0, MAX), "openai provider: longest in-call retry delay");
    key("llm.rate-limit.requests-per-minute", integer(0, MAX), "requests per model per minute over all processes; 0 = unlimited");
    key("llm.rate-limit.tokens-per-minute", integer(0, MAX), "tokens per model per minute over all processes; 0 = unlimited");
    key("llm.rate-limit.max-wait-ms", integer(0, MAX), "how long a call may wait for quota (then LLM_QUOTA_WAIT_EXCEEDED)");
    key("llm.simulated.latency-scale", decimal(0, Double.MAX_VALUE), "multiplies every simulated latency; 0 = instant");
    key("llm.simulated.vision-mean-ms", integer(0, MAX), "simulated vision call: mean latency");
    key("llm.simulated.vision-p99-ms", integer(0, MAX), "simulated vision call: 99th percentile latency");
    key("llm.simulated.answer-mean-ms", integer(0, MAX), "simulated answer call: mean latency");
    key("llm.simulated.answer-p99-ms", integer(0, MAX), "simulated answer call: 99th percentile latency");
    key("redis.url", text().secret(), "distributed mode: Redis connection string (redis://[:password@]host:port[/db])");
    key("redis.key-prefix", text(), "distributed mode: prefix of every Redis key ({prefix}:events:{job_id}, ...)");
    key("redis.pool-size", integer(1, 1024), "distributed mode: pooled Redis connections per process (commands)");
    key("redis.pool-waiters", integer(1, MAX), "distributed mode: commands that may wait for a pooled connection");
    key("redis.reconnect-initial-ms", integer(1, MAX), "distributed mode: first delay before reconnecting the live-event connection");
    key("redis.reconnect-max-ms", integer(1, MAX), "distributed mode: longest delay between reconnect attempts");
    key("rabbitmq.url", text().secret(), "distributed mode: RabbitMQ connection string (amqp://user:pass@host:port/vhost)");
    key("rabbitmq.queue-prefix", text(), "distributed mode: prefix of every queue ({prefix}.{stage}, {prefix}.{stage}.dlq, ...)");
    key("rabbitmq.reconnect-initial-ms", integer(1, MAX), "distributed mode: first delay before reconnecting to RabbitMQ");
    key("rabbitmq.reconnect-max-ms", integer(1, MAX), "distributed mode: longest delay between reconnect attempts");
    key("rabbitmq.confirm-timeout-ms", integer(1, MAX), "distributed mode: how long a publish waits for the broker's confirm");
    key("rabbitmq.max-pending-confirms", integer(1, MAX), "distributed mode: publishes awaiting a confirm at most (then publishers wait)");
    // Scaling (scaling/Autoscaler, docs/SCALING.md).
    key("scaling.enabled", bool(), "run the autoscaler (api, all) and worker reports (distributed workers)");
    key("scaling.interval-ms", integer(50, MAX), "how often the autoscaler decides");
    key("scaling.window-seconds", decimal(1, Double.MAX_VALUE), "sliding window for arrival rates and service times");
    key("scaling.target-drain-seconds", decimal(0.1, Double.MAX_VALUE), "a backlog should drain within this time");
    key("scaling.min-replicas", integer(0, 10_000), "fewest worker replicas recommended");
    key("scaling.max-replicas", integer(1, 10_000), "most worker replicas recommended");
    key("scaling.scale-down-stabilization-seconds", decimal(0, Double.MAX_VALUE), "a lower recommendation must hold this long");
    key("scaling.elastic-concurrency", bool(), "embedded mode: resize each stage's concurrency by the decisions");
    key("scaling.min-concurrency", integer(1, 1_000_000), "elastic concurrency: least per worker instance");
    key("scaling.max-concurrency", integer(1, 1_000_000), "elastic concurrency: most per worker instance");
    key("scaling.grpc-port", integer(-1, 65535), "KEDA external scaler (gRPC) port; -1 off, 0 any free port");
    key("scaling.worker-report-interval-ms", integer(50, MAX), "distributed mode: how often each worker reports to Redis");
    key("scaling.llm-stages", list("a list of stage names", ConfigSchema::isStageName, false, true),
      "stages whose calls wait on the LLM quota when the quota meters carry no stage tag");
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
      if (!llm.getJsonArray("models").contains(model)) {
        throw new ConfigException("llm.default-model", "llm.default-model: must be one of llm.models "
          + llm.getJsonArray("models").encode() + ", got " + ValueRule.render(model, false));
      }
    }
  );

  private static final JsonObject POLICY_DEFAULTS = new StagePolicy().toJson();
  private static final Set<String> POLICY_KEYS = Set.copyOf(POLICY_DEFAULTS.fieldNames());

  private ConfigSchema() {
  }

  private static void key(String path, ValueRule rule, String doc) {
    if (KEYS.putIfAbsent(path, new Key(path, rule, doc)) != null) {
      throw new IllegalStateException("configuration key registered twice: " + path);
    }
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

  /** {@link StagePolicy}'s own defaults, for stages that {@code defaults.yaml} does not list (plugins). */
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
