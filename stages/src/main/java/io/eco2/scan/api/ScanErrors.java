package io.eco2.scan.api;

/** The error codes of a scan submit (CONTRACT §2) that are the scan API's, not the engine's. */
final class ScanErrors {

  /** The engine's code for a body that is not a JSON object; the scan API also uses it for a mistyped field. */
  static final String INVALID_JSON = "INVALID_JSON";
  static final String IMAGE_URL_REQUIRED = "IMAGE_URL_REQUIRED";
  static final String INVALID_IMAGE_URL = "INVALID_IMAGE_URL";
  static final String INPUT_TOO_LONG = "INPUT_TOO_LONG";
  static final String UNSUPPORTED_MODEL = "UNSUPPORTED_MODEL";

  private ScanErrors() {
  }
}
