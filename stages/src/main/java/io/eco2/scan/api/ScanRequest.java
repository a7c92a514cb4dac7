package io.eco2.scan.api;

import io.eco2.engine.api.RequestRejected;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A validated {@code POST /api/v1/scan} body (CONTRACT §2). {@link #parse} either returns one or throws the
 * {@link RequestRejected} that names the field at fault and the contract's code for it.
 */
record ScanRequest(String imageUrl, String userInput, String model) {

  static final int MAX_IMAGE_URL = 2048;
  static final int MAX_USER_INPUT = 1000;

  static ScanRequest parse(JsonObject json, ScanApiOptions options) {
    Object url = json.getValue("image_url");
    if (url == null || (url instanceof String && ((String) url).isBlank())) {
      throw new RequestRejected(ScanErrors.IMAGE_URL_REQUIRED, "image_url is required");
    }
    if (!(url instanceof String)) {
      throw new RequestRejected(ScanErrors.INVALID_IMAGE_URL, "image_url must be a string");
    }
    String imageUrl = ((String) url).trim();
    if (characters(imageUrl) > MAX_IMAGE_URL) {
      throw new RequestRejected(ScanErrors.INVALID_IMAGE_URL, "image_url is longer than " + MAX_IMAGE_URL + " characters");
    }
    checkUrl(imageUrl);
    Object input = json.getValue("user_input");
    String userInput;
    if (input == null) {
      userInput = options.defaultUserInput();
    } else if (!(input instanceof String)) {
      throw new RequestRejected(ScanErrors.INVALID_JSON, "user_input must be a string");
    } else if (characters((String) input) > MAX_USER_INPUT) {
      throw new RequestRejected(ScanErrors.INPUT_TOO_LONG, "user_input is " + characters((String) input)
        + " characters (Unicode code points); at most " + MAX_USER_INPUT + " are allowed");
    } else {
      userInput = ((String) input).isBlank() ? options.defaultUserInput() : (String) input;
    }
    Object m = json.getValue("model");
    String model;
    if (m == null) {
      model = options.defaultModel();
    } else if (!(m instanceof String) || !options.models().contains(m)) {
      throw new RequestRejected(ScanErrors.UNSUPPORTED_MODEL, "model '" + m + "' is not supported; use one of " + options.models());
    } else {
      model = (String) m;
    }
    return new ScanRequest(imageUrl, userInput, model);
  }

  // The contract's limits count characters as a person does: code points, not UTF-16 units (an emoji is one).
  private static int characters(String s) {
    return s.codePointCount(0, s.length());
  }

  private static void checkUrl(String imageUrl) {
    try {
      URI uri = new URI(imageUrl);
      String scheme = uri.getScheme();
      if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
        throw new RequestRejected(ScanErrors.INVALID_IMAGE_URL, "image_url must be an http or https URL");
      }
      if (uri.getHost() == null || uri.getHost().isEmpty()) {
        throw new RequestRejected(ScanErrors.INVALID_IMAGE_URL, "image_url has no host");
      }
    } catch (URISyntaxException e) {
      throw new RequestRejected(ScanErrors.INVALID_IMAGE_URL, "image_url is not a valid URL: " + e.getReason());
    }
  }

  JsonObject toJobData() {
    return new JsonObject().put("image_url", imageUrl).put("user_input", userInput).put("model", model);
  }
}
