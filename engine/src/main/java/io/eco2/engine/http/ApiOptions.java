package io.eco2.engine.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP API's settings, read from the {@code http}, {@code api} and {@code llm} configuration sections.
 * Defaults: body limit 16 KiB, no API keys (auth off), the Eco² default question, models
 * {@code gpt-5.2, gpt-5.2-mini, gpt-4.1-mini} with {@code gpt-5.2} the default, 429 and 202 answers with
 * {@code Retry-After: 2}.
 */
public final class ApiOptions {

  public static final String DEFAULT_USER_INPUT = "이 폐기물을 어떻게 분리배출해야 하나요?";

  private int maxBodyBytes = 16384;
  private List<String> apiKeys = List.of();
  private String defaultUserInput = DEFAULT_USER_INPUT;
  private List<String> models = List.of("gpt-5.2", "gpt-5.2-mini", "gpt-4.1-mini");
  private String defaultModel = "gpt-5.2";
  private int overloadRetryAfterSeconds = 2;
  private int resultRetryAfterSeconds = 2;

  public ApiOptions() {
  }

  /** Reads the whole engine configuration. */
  public ApiOptions(JsonObject config) {
    JsonObject http = config.getJsonObject("http", new JsonObject());
    JsonObject api = config.getJsonObject("api", new JsonObject());
    JsonObject llm = config.getJsonObject("llm", new JsonObject());
    maxBodyBytes = http.getInteger("max-body-bytes", maxBodyBytes);
    apiKeys = strings(http.getJsonArray("api-keys"), apiKeys);
    defaultUserInput = api.getString("default-user-input", defaultUserInput);
    overloadRetryAfterSeconds = api.getInteger("overload-retry-after-seconds", overloadRetryAfterSeconds);
    resultRetryAfterSeconds = api.getInteger("result-retry-after-seconds", resultRetryAfterSeconds);
    models = strings(llm.getJsonArray("models"), models);
    defaultModel = llm.getString("default-model", defaultModel);
  }

  private static List<String> strings(JsonArray array, List<String> fallback) {
    if (array == null) {
      return fallback;
    }
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(String.valueOf(v)));
    return List.copyOf(out);
  }

  public int maxBodyBytes() { return maxBodyBytes; }
  public ApiOptions setMaxBodyBytes(int maxBodyBytes) { this.maxBodyBytes = maxBodyBytes; return this; }

  /** Bearer tokens accepted on {@code /api/v1/*}; empty means no authentication. */
  public List<String> apiKeys() { return apiKeys; }
  public ApiOptions setApiKeys(List<String> apiKeys) { this.apiKeys = List.copyOf(apiKeys); return this; }

  public String defaultUserInput() { return defaultUserInput; }
  public ApiOptions setDefaultUserInput(String defaultUserInput) { this.defaultUserInput = defaultUserInput; return this; }

  public List<String> models() { return models; }
  public ApiOptions setModels(List<String> models) { this.models = List.copyOf(models); return this; }

  public String defaultModel() { return defaultModel; }
  public ApiOptions setDefaultModel(String defaultModel) { this.defaultModel = defaultModel; return this; }

  public int overloadRetryAfterSeconds() { return overloadRetryAfterSeconds; }
  public ApiOptions setOverloadRetryAfterSeconds(int s) { this.overloadRetryAfterSeconds = s; return this; }

  public int resultRetryAfterSeconds() { return resultRetryAfterSeconds; }
  public ApiOptions setResultRetryAfterSeconds(int s) { this.resultRetryAfterSeconds = s; return this; }
}
