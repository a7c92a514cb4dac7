package io.eco2.engine.api;

/**
 * A submit body an {@link ApiSurface} refuses: the engine answers it with {@link #status()} and the
 * contract's error body {@code {"detail": message, "code": code}}. Cheap to throw (no stack trace): a bad
 * request is an expected value, not a fault.
 */
public final class RequestRejected extends RuntimeException {

  private final int status;
  private final String code;

  /** A 400 with {@code code} ({@code UPPER_SNAKE}) and a detail naming the field at fault. */
  public RequestRejected(String code, String detail) {
    this(400, code, detail);
  }

  public RequestRejected(int status, String code, String detail) {
    super(detail, null, false, false);
    if (status < 400 || status > 499) {
      throw new IllegalArgumentException("a rejected request is a 4xx, got " + status);
    }
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }
}
