package io.eco2.engine.http;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A validated {@code POST /api/v1/scan} body. {@link #parse} either returns one or throws the
 * {@link Invalid} that names the field at fault and the contract's code for it.
 */
record ScanRequest(String imageUrl, String userInput, String model) {

  static final int MAX_IMAGE_URL = 2048;
  static final int MAX_USER_INPUT = 1000;

  static ScanRequest parse(String body, ApiOptions options) {
    JsonObject json;
    try {
      Object parsed = io.vertx.core.json.Json.decodeValue(body);
      if (!(parsed instanceof JsonObject)) {
        throw new Invalid(ApiError.INVALID_JSON, "body must be a JSON object");
      }
      json = (JsonObject) parsed;
    } catch (DecodeException e) {
      throw new Invalid(ApiError.INVALID_JSON, "body is not valid JSON: " + firstLine(e.getMessage()));
    }
    Object url = json.getValue("image_url");
    if (url == null || (url instanceof String && ((String) url).isBlank())) {
      throw new Invalid(ApiError.IMAGE_URL_REQUIRED, "image_url is required");
    }
    if (!(url instanceof String)) {
      throw new Invalid(ApiError.INVALID_IMAGE_URL, "image_url must be a string");
    }
    String imageUrl = ((String) url).trim();
    if (imageUrl.length() > MAX_IMAGE_URL) {
      throw new Invalid(ApiError.INVALID_IMAGE_URL, "image_url is longer than " + MAX_IMAGE_URL + " characters");
    }
    checkUrl(imageUrl);
    Object input = json.getValue("user_input");
    String userInput;
    if (input == null) {
      userInput = options.defaultUserInput();
    } else if (!(input instanceof String)) {
      throw new Invalid(ApiError.INVALID_JSON, "user_input must be a string");
    } else if (((String) input).length() > MAX_USER_INPUT) {
      throw new Invalid(ApiError.INPUT_TOO_LONG, "user_input is " + ((String) input).length()
        + " characters; at most " + MAX_USER_INPUT + " are allowed");
    } else {
      userInput = ((String) input).isBlank() ? options.defaultUserInput() : (String) input;
    }
    Object m = json.getValue("model");
    String model;
    if (m == null) {
      model = options.defaultModel();
    } else if (!(m instanceof String) || !options.models().contains(m)) {
      throw new Invalid(ApiError.UNSUPPORTED_MODEL, "model '" + m + "' is not supported; use one of " + options.models());
    } else {
      model = (String) m;
    }
    return new ScanRequest(imageUrl, userInput, model);
  }

  private static void checkUrl(String imageUrl) {
    try {
      URI uri = new URI(imageUrl);
      String scheme = uri.getScheme();
      if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
        throw new Invalid(ApiError.INVALID_IMAGE_URL, "image_url must be an http or https URL");
      }
      if (uri.getHost() == null || uri.getHost().isEmpty()) {
        throw new Invalid(ApiError.INVALID_IMAGE_URL, "image_url has no host");
      }
    } catch (URISyntaxException e) {
      throw new Invalid(ApiError.INVALID_IMAGE_URL, "image_url is not a valid URL: " + e.getReason());
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  JsonObject toJobData() {
    return new JsonObject().put("image_url", imageUrl).put("user_input", userInput).put("model", model);
  }

  /** A request the contract rejects with 400. */
  static final class Invalid extends RuntimeException {
    final String code;

    Invalid(String code, String detail) {
      super(detail, null, false, false);
      this.code = code;
    }

    ApiError toError() {
      return new ApiError(400, code, getMessage());
    }
  }
}
