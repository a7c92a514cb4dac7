package io.eco2.tests.fakeopenai;

/** What the fake server does to one request instead of (or besides) answering it well. */
public enum Fault {
  /** A correct reply after the configured latency. */
  NONE,
  /** 429 with {@code Retry-After}, as OpenAI answers over quota. */
  RATE_LIMITED,
  /** 500 {@code server_error}. */
  SERVER_ERROR,
  /** Never answers: the connection stays open until the client gives up. */
  HANG,
  /** 200 whose {@code message.content} is cut-off JSON. */
  MALFORMED,
  /** 400 {@code invalid_request_error} (only when scripted: real servers do not send it at random). */
  BAD_REQUEST
}
