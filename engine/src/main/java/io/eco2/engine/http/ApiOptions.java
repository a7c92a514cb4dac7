package io.eco2.engine.http;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Objects;

/**
 * The job API's settings: the {@code api} configuration section, plus what the API takes from the
 * {@code http} section ({@code http.max-body-bytes}) set by whoever wires the API ({@link #withHttp}). What a request holds is the API surface's business, not these options'.
 *
 * <p>A data object in the Vert.x style: the {@code DEFAULT_*} constants are the only source of the
 * defaults; {@link #ApiOptions(JsonObject)} reads the {@code api} section and {@link #toJson()} writes it.
 */
public final class ApiOptions {

  /** {@code api.surface}: empty, the only API surface available. */
  public static final String DEFAULT_SURFACE = "";
  /**
   * {@code api.default-user-input}: none. A product's defaults layer gives its own (the Eco² question comes
   * from the stages module's {@code META-INF/eco2/defaults.yaml}).
   */
  public static final String DEFAULT_USER_INPUT = "";
  /** {@code api.idempotency-ttl-seconds}: an hour. */
  public static final long DEFAULT_IDEMPOTENCY_TTL_SECONDS = 3600;
  /** {@code api.overload-retry-after-seconds}. */
  public static final int DEFAULT_OVERLOAD_RETRY_AFTER_SECONDS = 2;
  /** {@code api.result-retry-after-seconds}. */
  public static final int DEFAULT_RESULT_RETRY_AFTER_SECONDS = 2;

  /**
   * {@code api.submit-confirm-timeout-ms}: longer than a publisher confirm may take
   * ({@code rabbitmq.confirm-timeout-ms}, 10 s), so that a replay does not admit a job whose first submit
   * is merely slow.
   */
  public static final long DEFAULT_SUBMIT_CONFIRM_TIMEOUT_MS = 15_000;

  private String surface = DEFAULT_SURFACE;
  private long submitConfirmTimeoutMs = DEFAULT_SUBMIT_CONFIRM_TIMEOUT_MS;
  private String defaultUserInput = DEFAULT_USER_INPUT;
  private long idempotencyTtlSeconds = DEFAULT_IDEMPOTENCY_TTL_SECONDS;
  private int overloadRetryAfterSeconds = DEFAULT_OVERLOAD_RETRY_AFTER_SECONDS;
  private int resultRetryAfterSeconds = DEFAULT_RESULT_RETRY_AFTER_SECONDS;
  // Taken from the http section (see withHttp): not part of toJson().
  private int maxBodyBytes = HttpOptions.DEFAULT_MAX_BODY_BYTES;

  public ApiOptions() {
  }

  public ApiOptions(ApiOptions other) {
    this(other.toJson());
    maxBodyBytes = other.maxBodyBytes;
  }

  /** Reads the {@code api} section; absent keys keep their defaults. */
  public ApiOptions(JsonObject json) {
    surface = json.getString("surface", surface);
    defaultUserInput = json.getString("default-user-input", defaultUserInput);
    idempotencyTtlSeconds = json.getLong("idempotency-ttl-seconds", idempotencyTtlSeconds);
    overloadRetryAfterSeconds = json.getInteger("overload-retry-after-seconds", overloadRetryAfterSeconds);
    resultRetryAfterSeconds = json.getInteger("result-retry-after-seconds", resultRetryAfterSeconds);
    submitConfirmTimeoutMs = json.getLong("submit-confirm-timeout-ms", submitConfirmTimeoutMs);
  }

  /** The {@code api} section. */
  public JsonObject toJson() {
    return new JsonObject().put("surface", surface).put("default-user-input", defaultUserInput)
      .put("idempotency-ttl-seconds", idempotencyTtlSeconds)
      .put("overload-retry-after-seconds", overloadRetryAfterSeconds)
      .put("result-retry-after-seconds", resultRetryAfterSeconds)
      .put("submit-confirm-timeout-ms", submitConfirmTimeoutMs);
  }

  /** A copy of these options with the body limit of {@code http}. */
  public ApiOptions withHttp(HttpOptions http) {
    return new ApiOptions(this).setMaxBodyBytes(http.getMaxBodyBytes());
  }

  /** The API surface's name ({@code api.surface}); empty means the only one available. */
  public String surface() { return surface; }
  public ApiOptions setSurface(String surface) { this.surface = Objects.requireNonNull(surface); return this; }

  public String defaultUserInput() { return defaultUserInput; }
  public ApiOptions setDefaultUserInput(String defaultUserInput) { this.defaultUserInput = Objects.requireNonNull(defaultUserInput); return this; }

  public long idempotencyTtlSeconds() { return idempotencyTtlSeconds; }
  public ApiOptions setIdempotencyTtlSeconds(long s) { this.idempotencyTtlSeconds = s; return this; }

  /** How long a submit with an idempotency key may stay unconfirmed before a replay admits its job again. */
  public Duration submitConfirmTimeout() { return Duration.ofMillis(submitConfirmTimeoutMs); }
  public ApiOptions setSubmitConfirmTimeoutMs(long ms) { this.submitConfirmTimeoutMs = ms; return this; }

  public int maxBodyBytes() { return maxBodyBytes; }
  public ApiOptions setMaxBodyBytes(int maxBodyBytes) { this.maxBodyBytes = maxBodyBytes; return this; }

  public int overloadRetryAfterSeconds() { return overloadRetryAfterSeconds; }
  public ApiOptions setOverloadRetryAfterSeconds(int s) { this.overloadRetryAfterSeconds = s; return this; }

  public int resultRetryAfterSeconds() { return resultRetryAfterSeconds; }
  public ApiOptions setResultRetryAfterSeconds(int s) { this.resultRetryAfterSeconds = s; return this; }
}
