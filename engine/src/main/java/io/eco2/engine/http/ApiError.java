package io.eco2.engine.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * An HTTP error as CONTRACT §2 shapes it: a status and the body {@code {"detail": ..., "code": ...}}.
 * The constants are the engine's own codes; an API surface's request codes (the scan API's
 * {@code IMAGE_URL_REQUIRED}, ...) are the surface's.
 *
 * @param status the HTTP status
 * @param code the machine-readable {@code UPPER_SNAKE} code
 * @param detail a human-readable explanation naming the field at fault
 */
public record ApiError(int status, String code, String detail) {

  public static final String INVALID_JSON = "INVALID_JSON";
  public static final String INVALID_IDEMPOTENCY_KEY = "INVALID_IDEMPOTENCY_KEY";
  public static final String INVALID_LAST_EVENT_ID = "INVALID_LAST_EVENT_ID";
  public static final String UNAUTHORIZED = "UNAUTHORIZED";
  public static final String BODY_TOO_LARGE = "BODY_TOO_LARGE";
  public static final String UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE";
  public static final String OVERLOADED = "OVERLOADED";
  public static final String USER_RATE_LIMITED = "USER_RATE_LIMITED";
  public static final String JOB_ENDED = "JOB_ENDED";
  public static final String CORS_ORIGIN_NOT_ALLOWED = "CORS_ORIGIN_NOT_ALLOWED";
  public static final String NOT_READY = "NOT_READY";
  public static final String JOB_NOT_FOUND = "JOB_NOT_FOUND";
  public static final String RESULT_NOT_FOUND = "RESULT_NOT_FOUND";
  public static final String NOT_FOUND = "NOT_FOUND";
  public static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";
  public static final String INTERNAL = "INTERNAL";
  // Refused by the front door or the router before any API handler ran (CONTRACT §8).
  public static final String MALFORMED_REQUEST = "MALFORMED_REQUEST";
  public static final String INVALID_FRAMING = "INVALID_FRAMING";
  public static final String INVALID_HOST = "INVALID_HOST";
  public static final String UNSUPPORTED_TRANSFER_CODING = "UNSUPPORTED_TRANSFER_CODING";
  public static final String HTTP_VERSION_NOT_SUPPORTED = "HTTP_VERSION_NOT_SUPPORTED";
  public static final String URI_TOO_LONG = "URI_TOO_LONG";
  public static final String HEADERS_TOO_LARGE = "HEADERS_TOO_LARGE";
  public static final String REQUEST_TIMEOUT = "REQUEST_TIMEOUT";
  public static final String EXPECTATION_FAILED = "EXPECTATION_FAILED";
  public static final String TOO_MANY_CONNECTIONS = "TOO_MANY_CONNECTIONS";
  public static final String BAD_REQUEST = "BAD_REQUEST";

  public JsonObject toJson() {
    return new JsonObject().put("detail", detail).put("code", code);
  }

  /** Writes this error as the whole response. */
  public void send(HttpServerResponse response) {
    if (response.ended() || response.headWritten()) {
      return;
    }
    response.setStatusCode(status)
      .putHeader("Content-Type", "application/json; charset=utf-8")
      .end(toJson().encode());
  }
}
