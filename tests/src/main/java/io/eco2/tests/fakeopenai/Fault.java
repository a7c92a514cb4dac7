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
  /**
   * A vision reply of the right shape whose middle category is a synonym the bundled table maps
   * (재활용폐기물 &gt; "금속", meaning 금속캔), as models answer when the schema does not hold them to the
   * taxonomy. An answer request is answered well.
   */
  OFF_TAXONOMY_SYNONYM,
  /** A vision reply of the right shape whose middle category nothing maps (재활용폐기물 &gt; "기타"). */
  OFF_TAXONOMY,
  /** 400 {@code invalid_request_error} (only when scripted: real servers do not send it at random). */
  BAD_REQUEST
}
