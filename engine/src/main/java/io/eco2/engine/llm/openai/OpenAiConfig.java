package io.eco2.engine.llm.openai;

import io.eco2.engine.llm.LlmOptions;
import io.eco2.engine.llm.ratelimit.RateLimits;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;

/**
 * The {@code llm} section as the {@code openai} provider reads it, from {@link LlmOptions} (whose constants
 * are the defaults), with the checks only this provider needs.
 *
 * @param baseUrl {@code llm.base-url} without a trailing slash
 * @param host the base URL's host
 * @param port the base URL's port (443/80 when not given)
 * @param ssl whether the base URL is https
 * @param path the base URL's path, e.g. {@code /v1}
 * @param apiKey {@code llm.api-key}, possibly empty; never log it
 * @param apiKeyFile {@code llm.api-key-file}, possibly empty
 * @param defaultModel the model of a request that names none
 * @param connectTimeout TCP/TLS connect timeout
 * @param responseTimeout longest wait for a whole response
 * @param maxConnections pooled connections ({@link LlmCapacity#AUTO}: follow the LLM stages, resolved by the factory)
 * @param maxWaitQueue requests that may wait for a pooled connection ({@link LlmCapacity#AUTO} likewise)
 * @param maxOutputTokens {@code max_completion_tokens} of each call
 * @param maxRetries in-call retries of 429, 5xx and connection errors
 * @param backoffInitial first in-call retry delay
 * @param backoffMax longest in-call retry delay
 * @param limits requests and tokens per model per minute
 * @param maxQuotaWait how long a call may wait for budget
 */
public record OpenAiConfig(String baseUrl, String host, int port, boolean ssl, String path, String apiKey,
                           String apiKeyFile, String defaultModel, Duration connectTimeout, Duration responseTimeout,
                           int maxConnections, int maxWaitQueue, int maxOutputTokens, int maxRetries,
                           Duration backoffInitial, Duration backoffMax, RateLimits limits, Duration maxQuotaWait) {

  public static final String DEFAULT_BASE_URL = LlmOptions.DEFAULT_BASE_URL;

  /**
   * The openai provider's view of the {@code llm} section.
   *
   * @throws IllegalArgumentException naming the key when a value cannot work
   */
  public static OpenAiConfig from(LlmOptions llm) {
    String baseUrl = llm.getBaseUrl().strip();
    while (baseUrl.endsWith("/")) {
      baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
    }
    URI uri;
    try {
      uri = new URI(baseUrl);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("llm.base-url: not a URL: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw new IllegalArgumentException("llm.base-url: must be an http:// or https:// URL with a host, got " + baseUrl);
    }
    if (uri.getUserInfo() != null || uri.getQuery() != null) {
      throw new IllegalArgumentException("llm.base-url: must not carry credentials or a query (put the key in llm.api-key)");
    }
    boolean ssl = scheme.equals("https");
    int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String apiKey = llm.getApiKey().strip();
    String apiKeyFile = llm.getApiKeyFile().strip();
    if (apiKey.isEmpty() && apiKeyFile.isEmpty() && "api.openai.com".equalsIgnoreCase(uri.getHost())) {
      throw new IllegalArgumentException("llm.api-key: required for " + baseUrl
        + " (set ECO2_LLM_API_KEY or llm.api-key-file)");
    }
    long backoffInitial = llm.getRetryBackoffInitialMs();
    long backoffMax = llm.getRetryBackoffMaxMs();
    if (backoffMax < backoffInitial) {
      throw new IllegalArgumentException("llm.retry-backoff-max-ms: must be at least llm.retry-backoff-initial-ms ("
        + backoffInitial + "), got " + backoffMax);
    }
    LlmOptions.RateLimitOptions rate = llm.getRateLimit();
    return new OpenAiConfig(baseUrl, uri.getHost(), port, ssl, path, apiKey, apiKeyFile, llm.getDefaultModel(),
      llm.connectTimeout(), llm.responseTimeout(), llm.getMaxConnections(), llm.getMaxWaitQueue(),
      llm.getMaxOutputTokens(), llm.getMaxRetries(), Duration.ofMillis(backoffInitial), Duration.ofMillis(backoffMax),
      RateLimits.perMinute(rate.getRequestsPerMinute(), rate.getTokensPerMinute()), rate.maxWait());
  }

  /** The same configuration with the API key read from {@link #apiKeyFile()}. */
  public OpenAiConfig withApiKey(String key) {
    return new OpenAiConfig(baseUrl, host, port, ssl, path, key, apiKeyFile, defaultModel, connectTimeout,
      responseTimeout, maxConnections, maxWaitQueue, maxOutputTokens, maxRetries, backoffInitial, backoffMax, limits,
      maxQuotaWait);
  }

  /** The same configuration with another pool size and wait queue (the factory resolves {@link LlmCapacity#AUTO}). */
  public OpenAiConfig withPool(int connections, int waitQueue) {
    return new OpenAiConfig(baseUrl, host, port, ssl, path, apiKey, apiKeyFile, defaultModel, connectTimeout,
      responseTimeout, connections, waitQueue, maxOutputTokens, maxRetries, backoffInitial, backoffMax, limits,
      maxQuotaWait);
  }

  /** The same configuration with other limits (tests use windows shorter than a minute). */
  public OpenAiConfig withLimits(RateLimits newLimits) {
    return new OpenAiConfig(baseUrl, host, port, ssl, path, apiKey, apiKeyFile, defaultModel, connectTimeout,
      responseTimeout, maxConnections, maxWaitQueue, maxOutputTokens, maxRetries, backoffInitial, backoffMax, newLimits,
      maxQuotaWait);
  }

  /** Never the key: records print their components, and this one must not appear in logs. */
  @Override
  public String toString() {
    return "OpenAiConfig[baseUrl=" + baseUrl + ", apiKey=" + (apiKey.isEmpty() ? "none" : "set") + ", apiKeyFile="
      + (apiKeyFile.isEmpty() ? "none" : apiKeyFile) + ", maxConnections=" + maxConnections
      + ", maxWaitQueue=" + maxWaitQueue + ", limits=" + limits + "]";
  }
}
