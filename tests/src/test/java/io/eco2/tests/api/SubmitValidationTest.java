package io.eco2.tests.api;

import io.eco2.testkit.Await;
import io.eco2.tests.support.EmbeddedEngine;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.eco2.tests.support.SseFrame;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.UUID;

import static io.eco2.tests.support.ApiChecks.assertApiError;
import static io.eco2.tests.support.ApiChecks.scan;
import static io.eco2.tests.support.Frames.events;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/v1/scan} (CONTRACT §2): the accepted answer and every way a request is refused. Each error
 * is checked to be exactly {@code {"detail", "code"}} as JSON.
 *
 * <p>The engine's default {@code user_input} is set to the probe directive {@code permanent}, which makes the
 * default observable: a job submitted without {@code user_input} fails with {@code TEST_PERMANENT}.
 */
class SubmitValidationTest {

  private static final String DEFAULT_INPUT_DIRECTIVE = "permanent";

  @RegisterExtension
  static final EmbeddedEngineExtension ENGINE = EmbeddedEngineExtension.with(EmbeddedEngine.pipeline(List.of("probe"), null)
    .put("api", new JsonObject().put("default-user-input", DEFAULT_INPUT_DIRECTIVE)));

  private static HttpResponse<Buffer> post(String contentType, Buffer body) {
    var req = ENGINE.engine().client().post("/api/v1/scan");
    if (contentType != null) {
      req.putHeader("Content-Type", contentType);
    }
    return Await.result(req.sendBuffer(body));
  }

  private static HttpResponse<Buffer> postJson(String body) {
    return post("application/json", Buffer.buffer(body));
  }

  private static String repeat(char c, int n) {
    return String.valueOf(c).repeat(n);
  }

  // ---- accepted --------------------------------------------------------------------------------------

  @Test
  void anAcceptedSubmitAnswersJobIdUrlsAndQueued() {
    HttpResponse<Buffer> r = ENGINE.engine().submit(scan("https://example.com/bottle.jpg", "hello"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("Content-Type")).startsWith("application/json");
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("job_id", "stream_url", "result_url", "status");
    String id = body.getString("job_id");
    assertThat(UUID.fromString(id).toString()).isEqualTo(id);
    assertThat(body.getString("stream_url")).isEqualTo("/api/v1/scan/" + id + "/events");
    assertThat(body.getString("result_url")).isEqualTo("/api/v1/scan/" + id + "/result");
    assertThat(body.getString("status")).isEqualTo("queued");
  }

  @Test
  void everySubmitGetsADistinctJobId() {
    String a = ENGINE.engine().submitOk(scan("a"));
    String b = ENGINE.engine().submitOk(scan("b"));
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void aModelFromTheConfiguredListIsAccepted() {
    assertThat(ENGINE.engine().submit(scan("x").put("model", "gpt-4.1-mini")).statusCode()).isEqualTo(200);
  }

  @Test
  void aContentTypeWithCharsetParameterIsAccepted() {
    HttpResponse<Buffer> r = post("application/json; charset=utf-8", scan("x").toBuffer());
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
  }

  // ---- INVALID_JSON ------------------------------------------------------------------------------------

  @Test
  void aMalformedJsonBodyIsRejectedWithInvalidJson() {
    assertApiError(postJson("{\"image_url\": \"https://example.com/a.jpg\""), 400, "INVALID_JSON");
  }

  @Test
  void aJsonArrayBodyIsRejectedWithInvalidJson() {
    assertApiError(postJson("[{\"image_url\": \"https://example.com/a.jpg\"}]"), 400, "INVALID_JSON");
  }

  @Test
  void anEmptyBodyIsRejectedWithInvalidJson() {
    assertApiError(postJson(""), 400, "INVALID_JSON");
  }

  // ---- IMAGE_URL_REQUIRED ------------------------------------------------------------------------------

  @Test
  void aMissingImageUrlIsRejectedWithImageUrlRequired() {
    assertApiError(ENGINE.engine().submit(new JsonObject().put("user_input", "x")), 400, "IMAGE_URL_REQUIRED");
  }

  @Test
  void aBlankImageUrlIsRejectedWithImageUrlRequired() {
    assertApiError(ENGINE.engine().submit(scan("   ", "x")), 400, "IMAGE_URL_REQUIRED");
  }

  @Test
  void aNullImageUrlIsRejectedWithImageUrlRequired() {
    assertApiError(ENGINE.engine().submit(new JsonObject().putNull("image_url")), 400, "IMAGE_URL_REQUIRED");
  }

  // ---- INVALID_IMAGE_URL -------------------------------------------------------------------------------

  @Test
  void anImageUrlThatIsNotHttpIsRejectedWithInvalidImageUrl() {
    assertApiError(ENGINE.engine().submit(scan("ftp://example.com/a.jpg", null)), 400, "INVALID_IMAGE_URL");
  }

  @Test
  void anImageUrlWithoutHostIsRejectedWithInvalidImageUrl() {
    assertApiError(ENGINE.engine().submit(scan("http:///a.jpg", null)), 400, "INVALID_IMAGE_URL");
  }

  @Test
  void anImageUrlWithoutSchemeIsRejectedWithInvalidImageUrl() {
    assertApiError(ENGINE.engine().submit(scan("example.com/a.jpg", null)), 400, "INVALID_IMAGE_URL");
  }

  @Test
  void anImageUrlThatIsNotAStringIsRejectedWithInvalidImageUrl() {
    assertApiError(ENGINE.engine().submit(new JsonObject().put("image_url", 42)), 400, "INVALID_IMAGE_URL");
  }

  @Test
  void anImageUrlLongerThan2048CharactersIsRejectedWithInvalidImageUrl() {
    String prefix = "https://example.com/";
    String url = prefix + repeat('a', 2049 - prefix.length());
    assertThat(url).hasSize(2049);
    assertApiError(ENGINE.engine().submit(scan(url, null)), 400, "INVALID_IMAGE_URL");
  }

  @Test
  void anImageUrlOfExactly2048CharactersIsAccepted() {
    String prefix = "https://example.com/";
    String url = prefix + repeat('a', 2048 - prefix.length());
    assertThat(ENGINE.engine().submit(scan(url, "x")).statusCode()).isEqualTo(200);
  }

  // ---- INPUT_TOO_LONG ----------------------------------------------------------------------------------

  @Test
  void aUserInputOf1001CharactersIsRejectedWithInputTooLong() {
    assertApiError(ENGINE.engine().submit(scan(repeat('x', 1001))), 400, "INPUT_TOO_LONG");
  }

  @Test
  void aUserInputOf1000CharactersIsAccepted() {
    assertThat(ENGINE.engine().submit(scan(repeat('x', 1000))).statusCode()).isEqualTo(200);
  }

  @Test
  void aUserInputOf1000NonAsciiCharactersIsAccepted() {
    // characters, not bytes: 1000 Hangul syllables are 3000 UTF-8 bytes
    assertThat(ENGINE.engine().submit(scan(repeat('가', 1000))).statusCode()).isEqualTo(200);
  }

  // ---- UNSUPPORTED_MODEL -------------------------------------------------------------------------------

  @Test
  void anUnknownModelIsRejectedWithUnsupportedModelListingTheModels() {
    String detail = assertApiError(ENGINE.engine().submit(scan("x").put("model", "gpt-0")), 400, "UNSUPPORTED_MODEL");
    assertThat(detail).contains("gpt-5.2", "gpt-5.2-mini", "gpt-4.1-mini");
  }

  // ---- media type and size -----------------------------------------------------------------------------

  @Test
  void aTextPlainBodyIsRejectedWithUnsupportedMediaType() {
    assertApiError(post("text/plain", scan("x").toBuffer()), 415, "UNSUPPORTED_MEDIA_TYPE");
  }

  @Test
  void aBodyWithoutContentTypeIsRejectedWithUnsupportedMediaType() {
    assertApiError(post(null, scan("x").toBuffer()), 415, "UNSUPPORTED_MEDIA_TYPE");
  }

  @Test
  void aBodyLargerThan16KiBIsRejectedWithBodyTooLarge() {
    JsonObject body = scan("x").put("padding", repeat('p', 16 * 1024));
    assertThat(body.toBuffer().length()).isGreaterThan(16 * 1024);
    assertApiError(ENGINE.engine().submit(body), 413, "BODY_TOO_LARGE");
  }

  @Test
  void aChunkedBodyLargerThan16KiBIsRejectedWithBodyTooLarge(Vertx vertx) {
    // no Content-Length: the limit must hold on what actually arrives
    HttpClient http = vertx.createHttpClient();
    try {
      Buffer body = scan("x").put("padding", repeat('p', 20 * 1024)).toBuffer();
      // on one context, so the response callbacks run inline and a quick 413 cannot end before body() is asked
      Promise<Object[]> answered = Promise.promise();
      vertx.getOrCreateContext().runOnContext(v -> http.request(new RequestOptions().setMethod(HttpMethod.POST)
          .setHost("127.0.0.1").setPort(ENGINE.engine().port()).setURI("/api/v1/scan").putHeader("Content-Type", "application/json"))
        .compose(req -> {
          req.setChunked(true);
          req.write(body.slice(0, 8192));
          return req.send(body.slice(8192, body.length()));
        })
        .compose(res -> res.body().map(b -> new Object[] {res.statusCode(), res.getHeader("Content-Type"), b}))
        .onComplete(answered));
      Object[] resp = Await.result(answered.future());
      assertThat(resp[0]).isEqualTo(413);
      assertThat((String) resp[1]).startsWith("application/json");
      JsonObject json = ((Buffer) resp[2]).toJsonObject();
      assertThat(json.fieldNames()).containsExactlyInAnyOrder("detail", "code");
      assertThat(json.getString("code")).isEqualTo("BODY_TOO_LARGE");
    } finally {
      Await.result(http.close());
    }
  }

  @Test
  void aBodyOfExactly16KiBIsNotRejectedForItsSize() {
    JsonObject body = scan("x").put("padding", "");
    int room = 16 * 1024 - body.toBuffer().length();
    body.put("padding", repeat('p', room));
    assertThat(body.toBuffer().length()).isEqualTo(16 * 1024);
    assertThat(ENGINE.engine().submit(body).statusCode()).isEqualTo(200);
  }

  // ---- default user_input ------------------------------------------------------------------------------

  @Test
  void aSubmitWithoutUserInputGetsTheConfiguredDefault() {
    String id = ENGINE.engine().submitOk(new JsonObject().put("image_url", "https://example.com/a.jpg"));
    List<SseFrame> events = events(ENGINE.sse().toEnd(id));
    SseFrame last = events.get(events.size() - 1);
    assertThat(last.event()).isEqualTo("error");
    assertThat(last.json().getJsonObject("result").getString("code")).isEqualTo("TEST_PERMANENT");
  }

  @Test
  void aSubmitWithAGivenUserInputDoesNotGetTheDefault() {
    String id = ENGINE.engine().submitOk(scan("just a question"));
    List<SseFrame> events = events(ENGINE.sse().toEnd(id));
    assertThat(events.get(events.size() - 1).event()).isEqualTo("done");
  }

  @Test
  void aUserInputThatIsNotAStringIsRejectedWithInvalidJson() {
    assertApiError(ENGINE.engine().submit(new JsonObject().put("image_url", "https://example.com/a.jpg")
      .put("user_input", new JsonArray().add("x"))), 400, "INVALID_JSON");
  }
}
