package io.eco2.tests.http;

import io.eco2.testkit.LogCapture;
import io.eco2.tests.support.EmbeddedEngine;
import io.eco2.tests.support.RawHttp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based fuzzing of the front door over raw sockets: arbitrary bodies, header values, paths and
 * event ids never get a 5xx, every refusal has the contract's error body, nothing logs a stack trace, and
 * the engine still serves afterwards.
 */
class FrontDoorFuzzTest {

  private static Vertx vertx;
  private static EmbeddedEngine engine;
  private static LogCapture logs;

  @BeforeContainer
  static void start() {
    vertx = Vertx.vertx();
    engine = EmbeddedEngine.start(vertx, EmbeddedEngine.pipeline(List.of("probe"), null));
    logs = LogCapture.of("");
  }

  @AfterContainer
  static void stop() {
    try {
      logs.close();
      logs.assertNoStackTrace();
      assertThat(engine.get("/health/live").statusCode()).isEqualTo(200);
    } finally {
      engine.close();
      vertx.close();
    }
  }

  private static void assertNoFaultAndShaped(RawHttp.Response r) {
    assertThat(r.statusLine()).matches("HTTP/1\\.[01] \\d{3} .*");
    assertThat(r.status()).as("status of %s", r.bodyText()).isLessThan(500);
    if (r.status() >= 400) {
      JsonObject json = new JsonObject(r.bodyText());
      assertThat(json.fieldNames()).containsExactlyInAnyOrder("detail", "code");
      assertThat(json.getString("code")).matches("[A-Z][A-Z0-9_]*");
    }
  }

  private static RawHttp.Response exchange(byte[] request) {
    try (RawHttp c = RawHttp.connect(engine.port())) {
      return c.send(request).read();
    }
  }

  @Property(tries = 150)
  void anyBodyIsAcceptedOrRefusedInTheContractsShape(@ForAll("bodies") byte[] body) {
    assertNoFaultAndShaped(exchange(RawHttp.submit(body)));
  }

  @Property(tries = 100)
  void anyHeaderValueIsAnsweredWithoutAFault(@ForAll("headerValues") String value) {
    assertNoFaultAndShaped(exchange(RawHttp.request("GET", "/api/v1/scan/" + UUID.randomUUID(), "X-Fuzz: " + value + "\r\n", new byte[0])));
  }

  @Property(tries = 100)
  void anyPathIsAnsweredWithoutAFault(@ForAll("paths") String path) {
    assertNoFaultAndShaped(exchange(RawHttp.request("GET", "/" + path, "", new byte[0])));
  }

  @Property(tries = 100)
  void anyResumeIdIsAcceptedOrRefusedAsInvalid(@ForAll("eventIds") String id) {
    String job = UUID.randomUUID().toString();
    RawHttp.Response r = exchange(RawHttp.request("GET", "/api/v1/scan/" + job + "/events", "Last-Event-ID: " + id + "\r\n", new byte[0]));
    assertNoFaultAndShaped(r);
    assertThat(new JsonObject(r.bodyText()).getString("code")).isIn("INVALID_LAST_EVENT_ID", "JOB_NOT_FOUND", "MALFORMED_REQUEST");
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    Arbitrary<byte[]> jsonish = Arbitraries.strings().withChars("{}[]\":,\\ /*tfnul0123456789.eE+-abc\u00e9\ud83d\ude00")
      .ofMaxLength(200).map(s -> s.getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> scans = Arbitraries.strings().ofMaxLength(1200)
      .map(s -> new JsonObject().put("image_url", "https://example.com/a.jpg").put("user_input", s).toBuffer().getBytes());
    return Arbitraries.oneOf(raw, jsonish, scans);
  }

  @Provide
  Arbitrary<String> headerValues() {
    // Header values as an HTTP client could send them: visible ASCII, spaces and tabs, and obs-text bytes.
    return Arbitraries.strings().withCharRange(' ', '~').withChars('\t', '\u00e9', '\u00ff').ofMaxLength(300);
  }

  @Provide
  Arbitrary<String> paths() {
    return Arbitraries.strings().withCharRange('!', '~').ofMaxLength(200)
      .map(s -> s.replace("#", "%23").replace("?", "?q="));
  }

  @Provide
  Arbitrary<String> eventIds() {
    Arbitrary<String> near = Arbitraries.strings().withChars("0123456789-+ .eE").ofMaxLength(45);
    Arbitrary<String> shaped = Arbitraries.longs().between(0, Long.MAX_VALUE)
      .flatMap(ms -> Arbitraries.longs().between(0, Long.MAX_VALUE).map(n -> ms + "-" + n));
    return Arbitraries.oneOf(near, shaped).map(String::trim).filter(s -> !s.isEmpty());
  }
}
