package io.eco2.engine.http;

/**
 * A request the API refuses, carrying the {@link ApiError} to answer. Handlers may throw it or pass it to
 * {@code RoutingContext.fail}: the router's error handlers answer it as is, and log no stack trace, since
 * a bad request is the client's fault and not the server's.
 */
public final class ApiException extends RuntimeException {

  private final transient ApiError error;

  public ApiException(ApiError error) {
    super(error.code() + ": " + error.detail(), null, false, false);
    this.error = error;
  }

  public ApiException(int status, String code, String detail) {
    this(new ApiError(status, code, detail));
  }

  public ApiError error() {
    return error;
  }
}
