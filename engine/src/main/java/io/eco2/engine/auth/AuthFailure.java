package io.eco2.engine.auth;

/**
 * Why a credential was refused, in words that may go back to the client and into a log: never the
 * credential itself. {@link #error()} is the RFC 6750 error code of the {@code WWW-Authenticate} answer.
 */
final class AuthFailure extends RuntimeException {

  static final String INVALID_REQUEST = "invalid_request";
  static final String INVALID_TOKEN = "invalid_token";

  private final String error;

  AuthFailure(String error, String message) {
    super(message, null, false, false);
    this.error = error;
  }

  /** No credential at all: RFC 6750 wants no error code then. */
  static AuthFailure missing(String message) {
    return new AuthFailure(null, message);
  }

  static AuthFailure invalid(String message) {
    return new AuthFailure(INVALID_TOKEN, message);
  }

  String error() {
    return error;
  }
}
