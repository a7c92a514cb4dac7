package io.eco2.tests.http;

import io.eco2.tests.support.EmbeddedEngine;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.eco2.tests.support.RawHttp;
import io.eco2.tests.support.StillServing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 9112 framing at the front door, over raw sockets: what a smuggler, a broken proxy or a fuzzer sends is
 * answered with the contract's error body and the connection is closed, so nothing hidden behind it is
 * served; no such request logs a stack trace; the engine keeps serving.
 */
class FramingTest {

  private static final byte[] JOB = "{\"image_url\":\"https://example.com/a.jpg\"}".getBytes(StandardCharsets.UTF_8);
  private static final String SMUGGLED = "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n";

  @RegisterExtension
  static final EmbeddedEngineExtension ENGINE = EmbeddedEngineExtension.with(EmbeddedEngine.pipeline(List.of("probe"), null));

  /** No request here logs a stack trace, and the engine still serves after each. */
  @RegisterExtension
  final StillServing stillServing = StillServing.of(ENGINE);

  private static RawHttp.Response exchange(String request) {
    try (RawHttp c = RawHttp.connect(ENGINE.engine().port())) {
      c.send(request);
      RawHttp.Response r = c.read();
      c.assertClosed();
      return r;
    }
  }

  private static String post(String headers, String body) {
    return "POST /api/v1/scan HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + headers + "\r\n" + body;
  }

  @Test
  void transferEncodingWithContentLengthIs400AndTheRequestSmuggledBehindItIsNeverServed() {
    RawHttp.Response r = exchange(post("Transfer-Encoding: chunked\r\nContent-Length: 4\r\n", "0\r\n\r\n" + SMUGGLED));
    r.assertApiError(400, "INVALID_FRAMING");
  }

  @Test
  void aTransferCodingOtherThanChunkedWithContentLengthIs400AndCreatesNoJob() {
    String json = new String(JOB, StandardCharsets.UTF_8);
    exchange(post("Transfer-Encoding: gzip\r\nContent-Length: " + JOB.length + "\r\n", json)).assertApiError(400, "INVALID_FRAMING");
    exchange(post("Transfer-Encoding: xchunked\r\nContent-Length: " + JOB.length + "\r\n", json)).assertApiError(400, "INVALID_FRAMING");
  }

  @Test
  void aTransferCodingOtherThanChunkedIs501AndTheBytesBehindItAreNotParsedAsARequest() {
    exchange(post("Transfer-Encoding: gzip\r\n", SMUGGLED)).assertApiError(501, "UNSUPPORTED_TRANSFER_CODING");
    exchange(post("Transfer-Encoding: gzip, chunked\r\n", "0\r\n\r\n" + SMUGGLED)).assertApiError(501, "UNSUPPORTED_TRANSFER_CODING");
  }

  @Test
  void transferEncodingOnHttp10Is400() {
    exchange("POST /api/v1/scan HTTP/1.0\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
      .assertApiError(400, "INVALID_FRAMING");
  }

  @Test
  void twoHostHeadersAre400() {
    exchange("GET /health/live HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").assertApiError(400, "INVALID_HOST");
  }

  @Test
  void anHttp11RequestWithoutHostIs400() {
    exchange("GET /api/v1/scan/" + UUID.randomUUID() + " HTTP/1.1\r\n\r\n").assertApiError(400, "INVALID_HOST");
  }

  @Test
  void anHttp10RequestWithoutHostIsServed() {
    try (RawHttp c = RawHttp.connect(ENGINE.engine().port())) {
      assertThat(c.send("GET /health/live HTTP/1.0\r\n\r\n").read().status()).isEqualTo(200);
    }
  }

  @Test
  void twoContentLengthsAre400() {
    String json = new String(JOB, StandardCharsets.UTF_8);
    exchange(post("Content-Length: " + JOB.length + "\r\nContent-Length: " + JOB.length + "\r\n", json))
      .assertApiError(400, "INVALID_FRAMING");
    exchange(post("Content-Length: " + JOB.length + "\r\nContent-Length: 3\r\n", json)).assertApiError(400, "INVALID_FRAMING");
  }

  @Test
  void versionsOtherThan10And11Are505WithAValidStatusLine() {
    for (String version : List.of("HTTP/1.2", "HTTP/2.0", "HTTP/0.9", "HTTP/3.0")) {
      RawHttp.Response r = exchange("GET /health/live " + version + "\r\nHost: x\r\n\r\n");
      assertThat(r.statusLine()).as(version).startsWith("HTTP/1.1 505 ");
      r.assertApiError(505, "HTTP_VERSION_NOT_SUPPORTED");
    }
  }

  @Test
  void anUnparseableRequestLineIs400() {
    exchange("GET /health/live HTTP/x.y\r\nHost: x\r\n\r\n").assertApiError(400, "MALFORMED_REQUEST");
  }

  @Test
  void aBadPercentEscapeInThePathIs400WithTheErrorBody() {
    try (RawHttp c = RawHttp.connect(ENGINE.engine().port())) {
      c.send("GET /api/v1/scan/%zz/result HTTP/1.1\r\nHost: x\r\n\r\n").read().assertApiError(400, "MALFORMED_REQUEST");
    }
  }

  @Test
  void aBadPercentEscapeInTheQueryIs400WithTheErrorBody() {
    try (RawHttp c = RawHttp.connect(ENGINE.engine().port())) {
      c.send("GET /api/v1/scan/" + UUID.randomUUID() + "/events?last_event_id=%zz HTTP/1.1\r\nHost: x\r\n\r\n")
        .read().assertApiError(400, "MALFORMED_REQUEST");
    }
  }

  @Test
  void anUnknownExpectationIs417WithTheErrorBody() {
    try (RawHttp c = RawHttp.connect(ENGINE.engine().port())) {
      c.send(post("Expect: 200-ok\r\nContent-Length: " + JOB.length + "\r\n", new String(JOB, StandardCharsets.UTF_8)))
        .read().assertApiError(417, "EXPECTATION_FAILED");
    }
  }

  @Test
  void aWrongMethodIs405WithAllowListingTheMethodsOfThatPath() {
    try (RawHttp c = RawHttp.connect(ENGINE.engine().port())) {
      RawHttp.Response r = c.send("GET /api/v1/scan HTTP/1.1\r\nHost: x\r\n\r\n").read();
      r.assertApiError(405, "METHOD_NOT_ALLOWED");
      assertThat(r.header("allow")).isEqualTo("POST");
      RawHttp.Response job = c.send("DELETE /api/v1/scan/" + UUID.randomUUID() + "/events HTTP/1.1\r\nHost: x\r\n\r\n").read();
      job.assertApiError(405, "METHOD_NOT_ALLOWED");
      assertThat(job.header("allow")).contains("GET");
    }
  }

  @Test
  void headersLargerThanTheLimitAre431AndClose() {
    exchange("GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n")
      .assertApiError(431, "HEADERS_TOO_LARGE");
  }

  @Test
  void aRequestLineLongerThanTheLimitIs414AndCloses() {
    exchange("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n").assertApiError(414, "URI_TOO_LONG");
  }

  @Test
  void aBodyOverTheLimitIs413WithTheErrorBody() {
    try (RawHttp c = RawHttp.connect(ENGINE.engine().port())) {
      c.send(post("Content-Length: 20000\r\n", "{".repeat(20_000))).read().assertApiError(413, "BODY_TOO_LARGE");
    }
  }
}
