package io.eco2.tests.http;

import io.eco2.tests.stages.ProbeStage;
import io.eco2.tests.support.EmbeddedEngine;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.eco2.tests.support.RawHttp;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Input is taken exactly as sent or refused, never repaired: bodies must be valid UTF-8 and strict RFC 8259
 * JSON (400 {@code INVALID_JSON} naming the byte at fault), length limits count code points, and resume ids
 * must be exactly {@code <ms>-<n>} (400 {@code INVALID_LAST_EVENT_ID}).
 */
class StrictInputTest {

  @RegisterExtension
  static final EmbeddedEngineExtension ENGINE = EmbeddedEngineExtension.with(List.of("probe"), null);

  private static final byte[] PREFIX = "{\"image_url\":\"https://example.com/a.jpg\",\"user_input\":\"".getBytes(StandardCharsets.UTF_8);

  private static RawHttp.Response submit(byte[] body) {
    try (RawHttp c = RawHttp.connect(ENGINE.engine().port())) {
      return c.send(RawHttp.submit(body)).read();
    }
  }

  private static byte[] userInput(byte[] raw) {
    return RawHttp.concat(RawHttp.concat(PREFIX, raw), "\"}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void invalidUtf8IsRefusedNamingTheByteInsteadOfStoredAsReplacementCharacters() {
    byte[][] invalid = {
      {(byte) 0xff, (byte) 0xfe},               // never valid in UTF-8
      {(byte) 0xc0, (byte) 0xaf},               // overlong '/'
      {(byte) 0xed, (byte) 0xa0, (byte) 0x80},  // an encoded UTF-16 surrogate
      {(byte) 0xe2, (byte) 0x82},               // truncated sequence
    };
    for (byte[] bad : invalid) {
      String detail = submit(userInput(bad)).assertApiError(400, "INVALID_JSON");
      assertThat(detail).contains("byte " + PREFIX.length).contains("UTF-8");
    }
  }

  @Test
  void jsonWithCommentsIsRefused() {
    byte[] body = "/*x*/{\"image_url\":\"https://example.com/a.jpg\"} // tail".getBytes(StandardCharsets.UTF_8);
    assertThat(submit(body).assertApiError(400, "INVALID_JSON")).contains("byte 0");
  }

  @Test
  void dataAfterTheObjectIsRefusedNamingWhereItStarts() {
    byte[] json = "{\"image_url\":\"https://example.com/a.jpg\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(submit(RawHttp.concat(json, " // tail".getBytes(StandardCharsets.UTF_8))).assertApiError(400, "INVALID_JSON"))
      .contains("byte " + (json.length + 1));
    assertThat(submit(RawHttp.concat(json, "{}".getBytes(StandardCharsets.UTF_8))).assertApiError(400, "INVALID_JSON"))
      .contains("byte " + json.length);
  }

  @Test
  void duplicateMemberNamesAreRefused() {
    byte[] body = "{\"image_url\":\"https://example.com/a.jpg\",\"image_url\":\"https://evil.example/\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(submit(body).assertApiError(400, "INVALID_JSON")).contains("image_url");
  }

  @Test
  void lenientJsonIsRefused() {
    for (String bad : List.of("{'image_url':'https://example.com/a.jpg'}", "{image_url:\"https://example.com/a.jpg\"}",
      "{\"image_url\":\"https://example.com/a.jpg\",}", "{\"image_url\":\"https://example.com/a.jpg\",\"n\":NaN}",
      "{\"image_url\":\"https://example.com/a.jpg\",\"n\":01}", "{\"image_url\":\"a\tb\"}", "", "[]", "\"x\"")) {
      submit(bad.getBytes(StandardCharsets.UTF_8)).assertApiError(400, "INVALID_JSON");
    }
  }

  @Test
  void userInputLengthCountsCodePointsNotUtf16Units() {
    String emoji = "\uD83D\uDE00";
    JsonObject thousand = new JsonObject().put("image_url", "https://example.com/a.jpg").put("user_input", emoji.repeat(1000));
    assertThat(ENGINE.engine().submit(thousand).statusCode()).isEqualTo(200);
    RawHttp.Response tooLong = submit(new JsonObject().put("image_url", "https://example.com/a.jpg")
      .put("user_input", emoji.repeat(1001)).toBuffer().getBytes());
    assertThat(tooLong.assertApiError(400, "INPUT_TOO_LONG")).contains("1001 characters");
  }

  @Test
  void aResumeIdThatIsNotMillisDashSequenceIs400ByHeaderAndByQuery() {
    String job = ENGINE.engine().submitOk(new JsonObject().put("image_url", "https://example.com/a.jpg").put("user_input", "gate=strict-ids"));
    try {
      for (String bad : List.of("12345", "+1-+1", "1-", "-1", "1-1-1", "99999999999999999999-0", "abc")) {
        try (RawHttp c = RawHttp.connect(ENGINE.engine().port())) {
          c.send("GET /api/v1/scan/" + job + "/events HTTP/1.1\r\nHost: x\r\nLast-Event-ID: " + bad + "\r\n\r\n")
            .read().assertApiError(400, "INVALID_LAST_EVENT_ID");
          c.send("GET /api/v1/scan/" + job + "/events?last_event_id=" + bad.replace("+", "%2B") + " HTTP/1.1\r\nHost: x\r\n\r\n")
            .read().assertApiError(400, "INVALID_LAST_EVENT_ID");
        }
      }
    } finally {
      ProbeStage.open("strict-ids");
    }
  }
}
