package io.eco2.engine.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The job API's settings, read from the {@code http} and {@code api} configuration sections. Defaults: body
 * limit 16 KiB, 429 and 202 answers with {@code Retry-After: 2}. What a request
 * holds is the API surface's business, not these options'.
 */
public final class ApiOptions {

  private int maxBodyBytes = 16384;
  private int overloadRetryAfterSeconds = 2;
  private int resultRetryAfterSeconds = 2;

  public ApiOptions() {
  }

  /** Reads the whole engine configuration. */
  public ApiOptions(JsonObject config) {
    JsonObject http = config.getJsonObject("http", new JsonObject());
    JsonObject api = config.getJsonObject("api", new JsonObject());
    maxBodyBytes = http.getInteger("max-body-bytes", maxBodyBytes);
    overloadRetryAfterSeconds = api.getInteger("overload-retry-after-seconds", overloadRetryAfterSeconds);
    resultRetryAfterSeconds = api.getInteger("result-retry-after-seconds", resultRetryAfterSeconds);
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

  public int overloadRetryAfterSeconds() { return overloadRetryAfterSeconds; }
  public ApiOptions setOverloadRetryAfterSeconds(int s) { this.overloadRetryAfterSeconds = s; return this; }

  public int resultRetryAfterSeconds() { return resultRetryAfterSeconds; }
  public ApiOptions setResultRetryAfterSeconds(int s) { this.resultRetryAfterSeconds = s; return this; }
}
