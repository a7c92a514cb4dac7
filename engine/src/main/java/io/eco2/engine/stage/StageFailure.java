package io.eco2.engine.stage;

import java.time.Duration;
import java.util.Objects;

/**
 * A stage failure with a machine-readable code and whether another attempt may succeed.
 *
 * <p>The code appears in the job's {@code error} event ({@code {"error": message, "code": code}}) and in the
 * result's {@code error} object. Any other exception thrown by a stage is treated as retryable with code
 * {@code STAGE_FAILED}; a timeout has code {@code TIMEOUT} and is retryable.
 *
 * <p>A retryable failure may carry a {@linkplain #retryAfter() minimum delay} (an upstream's
 * {@code Retry-After}): the engine then waits at least that long before the next attempt, even when the
 * stage's backoff is shorter.
 */
public class StageFailure extends RuntimeException {

  public static final String STAGE_FAILED = "STAGE_FAILED";
  public static final String TIMEOUT = "TIMEOUT";
  /** The job's owner cancelled it (DELETE /api/v1/scan/{id}): the job ends, nothing retries or falls back. */
  public static final String CANCELLED = "CANCELLED";
  /**
   * One attempt was delivered {@code stages.<name>.max-deliveries} times without being acknowledged (each
   * process handling it died or lost its connection first): parked in the stage's dead-letter queue, the job
   * ends, nothing retries or falls back.
   */
  public static final String POISON_MESSAGE = "POISON_MESSAGE";

  private final String code;
  private final boolean retryable;
  private final Duration retryAfter;

  public StageFailure(String code, String message, boolean retryable) {
    this(code, message, retryable, null);
  }

  public StageFailure(String code, String message, boolean retryable, Throwable cause) {
    this(code, message, retryable, cause, Duration.ZERO);
  }

  private StageFailure(String code, String message, boolean retryable, Throwable cause, Duration retryAfter) {
    super(message, cause, false, false);
    this.code = code;
    this.retryable = retryable;
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
  }

  /**
   * This failure with a minimum delay before the next attempt (negative delays count as zero). Only
   * meaningful when the failure is retryable.
   */
  public StageFailure withRetryAfter(Duration delay) {
    Duration d = delay == null || delay.isNegative() ? Duration.ZERO : delay;
    return new StageFailure(code, getMessage(), retryable, getCause(), d);
  }

  /** A retryable failure. */
  public static StageFailure retryable(String code, String message) {
    return new StageFailure(code, message, true);
  }

  /** A failure no retry can fix (bad input, a 4xx from a provider). */
  public static StageFailure permanent(String code, String message) {
    return new StageFailure(code, message, false);
  }

  /** The failure as the engine sees it: a {@code StageFailure} as is, anything else as a retryable STAGE_FAILED. */
  public static StageFailure of(Throwable t) {
    if (t instanceof StageFailure) {
      return (StageFailure) t;
    }
    String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return new StageFailure(STAGE_FAILED, msg, true, t);
  }

  public String code() {
    return code;
  }

  public boolean retryable() {
    return retryable;
  }

  /** The least time to wait before retrying ({@link Duration#ZERO} when the failure says nothing). */
  public Duration retryAfter() {
    return retryAfter;
  }
}
