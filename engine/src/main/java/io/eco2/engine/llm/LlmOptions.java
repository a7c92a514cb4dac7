package io.eco2.engine.llm;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@code llm} configuration section: which provider answers, the models a request may name, the shared
 * rate limit, and the settings of the two built-in providers ({@code openai} at the top level of the section,
 * {@code simulated} in {@code llm.simulated}).
 *
 * <p>A data object in the Vert.x style: the {@code DEFAULT_*} constants are the only source of the
 * defaults; {@link #LlmOptions(JsonObject)} reads the section and {@link #toJson()} writes it. A provider
 * receives this object (and the section as JSON, for keys of its own), never the whole configuration.
 */
public final class LlmOptions {

  /** {@code llm.provider}. */
  public static final String DEFAULT_PROVIDER = "simulated";
  /**
   * {@code llm.models}: none. The engine names no model: a product's defaults layer or the configuration does
   * (the Eco² stages module's layer lists its models); empty leaves it to the stages and the API surface.
   */
  public static final List<String> DEFAULT_MODELS = List.of();
  /** {@code llm.default-model}: none (empty, as {@code llm.models} is); when models are listed, one of them. */
  public static final String DEFAULT_DEFAULT_MODEL = "";
  /** {@code llm.base-url} (openai provider). */
  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
  /** {@code llm.api-key} (openai provider): none. */
  public static final String DEFAULT_API_KEY = "";
  /** {@code llm.api-key-file} (openai provider): none. */
  public static final String DEFAULT_API_KEY_FILE = "";
  /** {@code llm.connect-timeout-ms} (openai provider). */
  public static final long DEFAULT_CONNECT_TIMEOUT_MS = 5000;
  /** {@code llm.response-timeout-ms} (openai provider). */
  public static final long DEFAULT_RESPONSE_TIMEOUT_MS = 30_000;
  /** Value of {@code llm.max-connections} and {@code llm.max-wait-queue} meaning "the LLM stages' calls in flight". */
  public static final int FOLLOW_STAGES = 0;
  /** {@code llm.max-connections} (openai provider): follow the stages. */
  public static final int DEFAULT_MAX_CONNECTIONS = FOLLOW_STAGES;
  /** {@code llm.max-wait-queue} (openai provider): follow the stages. */
  public static final int DEFAULT_MAX_WAIT_QUEUE = FOLLOW_STAGES;
  /** {@code llm.max-output-tokens} (openai provider). */
  public static final int DEFAULT_MAX_OUTPUT_TOKENS = 2048;
  /** {@code llm.max-retries} (openai provider). */
  public static final int DEFAULT_MAX_RETRIES = 3;
  /** {@code llm.retry-backoff-initial-ms} (openai provider). */
  public static final long DEFAULT_RETRY_BACKOFF_INITIAL_MS = 500;
  /** {@code llm.retry-backoff-max-ms} (openai provider). */
  public static final long DEFAULT_RETRY_BACKOFF_MAX_MS = 8000;

  private String provider = DEFAULT_PROVIDER;
  private List<String> models = DEFAULT_MODELS;
  private String defaultModel = DEFAULT_DEFAULT_MODEL;
  private String baseUrl = DEFAULT_BASE_URL;
  private String apiKey = DEFAULT_API_KEY;
  private String apiKeyFile = DEFAULT_API_KEY_FILE;
  private long connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
  private long responseTimeoutMs = DEFAULT_RESPONSE_TIMEOUT_MS;
  private int maxConnections = DEFAULT_MAX_CONNECTIONS;
  private int maxWaitQueue = DEFAULT_MAX_WAIT_QUEUE;
  private int maxOutputTokens = DEFAULT_MAX_OUTPUT_TOKENS;
  private int maxRetries = DEFAULT_MAX_RETRIES;
  private long retryBackoffInitialMs = DEFAULT_RETRY_BACKOFF_INITIAL_MS;
  private long retryBackoffMaxMs = DEFAULT_RETRY_BACKOFF_MAX_MS;
  private RateLimitOptions rateLimit = new RateLimitOptions();
  private SimulatedOptions simulated = new SimulatedOptions();

  public LlmOptions() {
  }

  public LlmOptions(LlmOptions other) {
    this(other.toJson());
  }

  /** Reads the {@code llm} section; absent keys keep their defaults. */
  public LlmOptions(JsonObject json) {
    provider = json.getString("provider", provider);
    JsonArray list = json.getJsonArray("models");
    if (list != null) {
      List<String> names = new ArrayList<>();
      list.forEach(m -> names.add(String.valueOf(m)));
      models = List.copyOf(names);
    }
    defaultModel = json.getString("default-model", defaultModel);
    baseUrl = json.getString("base-url", baseUrl);
    apiKey = json.getString("api-key", apiKey);
    apiKeyFile = json.getString("api-key-file", apiKeyFile);
    connectTimeoutMs = json.getLong("connect-timeout-ms", connectTimeoutMs);
    responseTimeoutMs = json.getLong("response-timeout-ms", responseTimeoutMs);
    maxConnections = json.getInteger("max-connections", maxConnections);
    maxWaitQueue = json.getInteger("max-wait-queue", maxWaitQueue);
    maxOutputTokens = json.getInteger("max-output-tokens", maxOutputTokens);
    maxRetries = json.getInteger("max-retries", maxRetries);
    retryBackoffInitialMs = json.getLong("retry-backoff-initial-ms", retryBackoffInitialMs);
    retryBackoffMaxMs = json.getLong("retry-backoff-max-ms", retryBackoffMaxMs);
    rateLimit = new RateLimitOptions(json.getJsonObject("rate-limit", new JsonObject()));
    simulated = new SimulatedOptions(json.getJsonObject("simulated", new JsonObject()));
  }

  public JsonObject toJson() {
    return new JsonObject().put("provider", provider).put("models", new JsonArray(models))
      .put("default-model", defaultModel).put("base-url", baseUrl).put("api-key", apiKey)
      .put("api-key-file", apiKeyFile).put("connect-timeout-ms", connectTimeoutMs)
      .put("response-timeout-ms", responseTimeoutMs).put("max-connections", maxConnections)
      .put("max-wait-queue", maxWaitQueue).put("max-output-tokens", maxOutputTokens).put("max-retries", maxRetries)
      .put("retry-backoff-initial-ms", retryBackoffInitialMs).put("retry-backoff-max-ms", retryBackoffMaxMs)
      .put("rate-limit", rateLimit.toJson()).put("simulated", simulated.toJson());
  }

  public String getProvider() { return provider; }
  public LlmOptions setProvider(String provider) { this.provider = Objects.requireNonNull(provider); return this; }

  public List<String> getModels() { return models; }
  public LlmOptions setModels(List<String> models) { this.models = List.copyOf(models); return this; }

  public String getDefaultModel() { return defaultModel; }
  public LlmOptions setDefaultModel(String defaultModel) { this.defaultModel = Objects.requireNonNull(defaultModel); return this; }

  public String getBaseUrl() { return baseUrl; }
  public LlmOptions setBaseUrl(String baseUrl) { this.baseUrl = Objects.requireNonNull(baseUrl); return this; }

  /** Possibly empty; never log it. */
  public String getApiKey() { return apiKey; }
  public LlmOptions setApiKey(String apiKey) { this.apiKey = Objects.requireNonNull(apiKey); return this; }

  public String getApiKeyFile() { return apiKeyFile; }
  public LlmOptions setApiKeyFile(String apiKeyFile) { this.apiKeyFile = Objects.requireNonNull(apiKeyFile); return this; }

  public Duration connectTimeout() { return Duration.ofMillis(connectTimeoutMs); }
  public LlmOptions setConnectTimeoutMs(long ms) { this.connectTimeoutMs = ms; return this; }

  public Duration responseTimeout() { return Duration.ofMillis(responseTimeoutMs); }
  public LlmOptions setResponseTimeoutMs(long ms) { this.responseTimeoutMs = ms; return this; }

  public int getMaxConnections() { return maxConnections; }
  public LlmOptions setMaxConnections(int n) { this.maxConnections = n; return this; }

  public int getMaxWaitQueue() { return maxWaitQueue; }
  public LlmOptions setMaxWaitQueue(int n) { this.maxWaitQueue = n; return this; }

  public int getMaxOutputTokens() { return maxOutputTokens; }
  public LlmOptions setMaxOutputTokens(int n) { this.maxOutputTokens = n; return this; }

  public int getMaxRetries() { return maxRetries; }
  public LlmOptions setMaxRetries(int n) { this.maxRetries = n; return this; }

  public long getRetryBackoffInitialMs() { return retryBackoffInitialMs; }
  public LlmOptions setRetryBackoffInitialMs(long ms) { this.retryBackoffInitialMs = ms; return this; }

  public long getRetryBackoffMaxMs() { return retryBackoffMaxMs; }
  public LlmOptions setRetryBackoffMaxMs(long ms) { this.retryBackoffMaxMs = ms; return this; }

  /** {@code llm.rate-limit}. */
  public RateLimitOptions getRateLimit() { return rateLimit; }
  public LlmOptions setRateLimit(RateLimitOptions rateLimit) { this.rateLimit = Objects.requireNonNull(rateLimit); return this; }

  /** {@code llm.simulated}. */
  public SimulatedOptions getSimulated() { return simulated; }
  public LlmOptions setSimulated(SimulatedOptions simulated) { this.simulated = Objects.requireNonNull(simulated); return this; }

  /** The {@code llm.rate-limit} section: one budget per model over every process. */
  public static final class RateLimitOptions {

    /** {@code llm.rate-limit.requests-per-minute}: unlimited. */
    public static final long DEFAULT_REQUESTS_PER_MINUTE = 0;
    /** {@code llm.rate-limit.tokens-per-minute}: unlimited. */
    public static final long DEFAULT_TOKENS_PER_MINUTE = 0;
    /** {@code llm.rate-limit.max-wait-ms}: then {@code LLM_QUOTA_WAIT_EXCEEDED}. */
    public static final long DEFAULT_MAX_WAIT_MS = 30_000;

    private long requestsPerMinute = DEFAULT_REQUESTS_PER_MINUTE;
    private long tokensPerMinute = DEFAULT_TOKENS_PER_MINUTE;
    private long maxWaitMs = DEFAULT_MAX_WAIT_MS;

    public RateLimitOptions() {
    }

    public RateLimitOptions(JsonObject json) {
      requestsPerMinute = json.getLong("requests-per-minute", requestsPerMinute);
      tokensPerMinute = json.getLong("tokens-per-minute", tokensPerMinute);
      maxWaitMs = json.getLong("max-wait-ms", maxWaitMs);
    }

    public JsonObject toJson() {
      return new JsonObject().put("requests-per-minute", requestsPerMinute).put("tokens-per-minute", tokensPerMinute)
        .put("max-wait-ms", maxWaitMs);
    }

    public long getRequestsPerMinute() { return requestsPerMinute; }
    public RateLimitOptions setRequestsPerMinute(long n) { this.requestsPerMinute = n; return this; }

    public long getTokensPerMinute() { return tokensPerMinute; }
    public RateLimitOptions setTokensPerMinute(long n) { this.tokensPerMinute = n; return this; }

    public Duration maxWait() { return Duration.ofMillis(maxWaitMs); }
    public RateLimitOptions setMaxWaitMs(long ms) { this.maxWaitMs = ms; return this; }
  }

  /** The {@code llm.simulated} section: the latency of the simulated provider's calls. */
  public static final class SimulatedOptions {

    /** {@code llm.simulated.latency-scale}: latencies as measured on the real model. */
    public static final double DEFAULT_LATENCY_SCALE = 1.0;
    /** {@code llm.simulated.vision-mean-ms}. */
    public static final long DEFAULT_VISION_MEAN_MS = 4500;
    /** {@code llm.simulated.vision-p99-ms}. */
    public static final long DEFAULT_VISION_P99_MS = 10_000;
    /** {@code llm.simulated.answer-mean-ms}. */
    public static final long DEFAULT_ANSWER_MEAN_MS = 6700;
    /** {@code llm.simulated.answer-p99-ms}. */
    public static final long DEFAULT_ANSWER_P99_MS = 10_000;

    private double latencyScale = DEFAULT_LATENCY_SCALE;
    private long visionMeanMs = DEFAULT_VISION_MEAN_MS;
    private long visionP99Ms = DEFAULT_VISION_P99_MS;
    private long answerMeanMs = DEFAULT_ANSWER_MEAN_MS;
    private long answerP99Ms = DEFAULT_ANSWER_P99_MS;

    public SimulatedOptions() {
    }

    public SimulatedOptions(JsonObject json) {
      latencyScale = json.getDouble("latency-scale", latencyScale);
      visionMeanMs = json.getLong("vision-mean-ms", visionMeanMs);
      visionP99Ms = json.getLong("vision-p99-ms", visionP99Ms);
      answerMeanMs = json.getLong("answer-mean-ms", answerMeanMs);
      answerP99Ms = json.getLong("answer-p99-ms", answerP99Ms);
    }

    public JsonObject toJson() {
      return new JsonObject().put("latency-scale", latencyScale).put("vision-mean-ms", visionMeanMs)
        .put("vision-p99-ms", visionP99Ms).put("answer-mean-ms", answerMeanMs).put("answer-p99-ms", answerP99Ms);
    }

    public double getLatencyScale() { return latencyScale; }
    public SimulatedOptions setLatencyScale(double scale) { this.latencyScale = scale; return this; }

    public long getVisionMeanMs() { return visionMeanMs; }
    public SimulatedOptions setVisionMeanMs(long ms) { this.visionMeanMs = ms; return this; }

    public long getVisionP99Ms() { return visionP99Ms; }
    public SimulatedOptions setVisionP99Ms(long ms) { this.visionP99Ms = ms; return this; }

    public long getAnswerMeanMs() { return answerMeanMs; }
    public SimulatedOptions setAnswerMeanMs(long ms) { this.answerMeanMs = ms; return this; }

    public long getAnswerP99Ms() { return answerP99Ms; }
    public SimulatedOptions setAnswerP99Ms(long ms) { this.answerP99Ms = ms; return this; }
  }
}
