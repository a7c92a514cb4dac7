package io.eco2.tests.auth;

import io.eco2.testkit.Await;
import io.eco2.tests.support.EmbeddedEngine;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.eco2.tests.support.SseFrame;
import io.eco2.tests.support.Tokens;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.eco2.tests.support.ApiChecks.assertApiError;
import static io.eco2.tests.support.ApiChecks.scan;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code auth.mode: jwt} with an HS256 secret (CONTRACT §8 "Authentication"): valid tokens pass; missing,
 * expired, forged, wrong-audience and wrong-issuer tokens get 401 {@code UNAUTHORIZED} with
 * {@code WWW-Authenticate}; the events route also takes the token from {@code ?access_token=} or a cookie.
 */
class JwtAuthTest {

  private static final String SECRET = "a shared secret of the test, 한국어 too";
  private static final String AUDIENCE = "eco2-api";
  private static final String ISSUER = "https://issuer.test";

  @RegisterExtension
  static final EmbeddedEngineExtension ENGINE = EmbeddedEngineExtension.with(EmbeddedEngine.pipeline(List.of("probe"), null)
    .put("auth", new JsonObject().put("mode", "jwt").put("jwt", new JsonObject()
      .put("secret", SECRET).put("audience", AUDIENCE).put("issuer", ISSUER).put("clock-skew-seconds", 5))));

  static String token(String user) {
    return Tokens.hs256(SECRET, Tokens.claims(user, AUDIENCE, ISSUER, 600));
  }

  private static HttpResponse<Buffer> submit(String token) {
    HttpRequest<Buffer> req = ENGINE.engine().client().post("/api/v1/scan").putHeader("Content-Type", "application/json");
    if (token != null) {
      req.putHeader("Authorization", "Bearer " + token);
    }
    return Await.result(req.sendBuffer(scan("x").toBuffer()));
  }

  private static String unauthorized(HttpResponse<Buffer> r) {
    assertApiError(r, 401, "UNAUTHORIZED");
    assertThat(r.getHeader("WWW-Authenticate")).startsWith("Bearer realm=\"eco2\"");
    return r.getHeader("WWW-Authenticate");
  }

  @Test
  void aValidTokenSubmits() {
    HttpResponse<Buffer> r = submit(token("alice"));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
  }

  @Test
  void noTokenIsUnauthorizedWithABareChallenge() {
    assertThat(unauthorized(submit(null))).isEqualTo("Bearer realm=\"eco2\"");
  }

  @Test
  void anExpiredTokenIsUnauthorized() {
    String challenge = unauthorized(submit(Tokens.hs256(SECRET, Tokens.claims("alice", AUDIENCE, ISSUER, -60))));
    assertThat(challenge).contains("error=\"invalid_token\"").contains("expired");
  }

  @Test
  void aTokenSignedWithAnotherSecretIsUnauthorized() {
    unauthorized(submit(Tokens.hs256(SECRET + "x", Tokens.claims("alice", AUDIENCE, ISSUER, 600))));
  }

  @Test
  void aTokenWithATamperedPayloadIsUnauthorized() {
    String[] parts = token("alice").split("\\.");
    String mallory = Tokens.hs256("other", Tokens.claims("mallory", AUDIENCE, ISSUER, 600)).split("\\.")[1];
    unauthorized(submit(parts[0] + "." + mallory + "." + parts[2]));
  }

  @Test
  void aTokenForAnotherAudienceIsUnauthorized() {
    String challenge = unauthorized(submit(Tokens.hs256(SECRET, Tokens.claims("alice", "another-api", ISSUER, 600))));
    assertThat(challenge).contains("audience");
  }

  @Test
  void aTokenOfAnotherIssuerIsUnauthorized() {
    unauthorized(submit(Tokens.hs256(SECRET, Tokens.claims("alice", AUDIENCE, "https://evil.test", 600))));
  }

  @Test
  void aTokenWithoutTheUserClaimIsUnauthorized() {
    String challenge = unauthorized(submit(Tokens.hs256(SECRET, Tokens.claims(null, AUDIENCE, ISSUER, 600))));
    assertThat(challenge).contains("'sub'");
  }

  @Test
  void anUnsignedTokenIsUnauthorized() {
    String[] parts = token("alice").split("\\.");
    String none = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes());
    unauthorized(submit(none + "." + parts[1] + "."));
  }

  @Test
  void theEventsRouteTakesTheTokenFromTheQuery() {
    String id = submit(token("alice")).bodyAsJsonObject().getString("job_id");
    List<SseFrame> frames = Await.result(ENGINE.sse().open(id, "access_token=" + token("alice"), null).ended());
    assertThat(frames.stream().filter(SseFrame::isEvent).map(SseFrame::event)).contains("queued", "done");
  }

  @Test
  void theEventsRouteTakesTheTokenFromTheCookie() {
    String id = submit(token("alice")).bodyAsJsonObject().getString("job_id");
    List<SseFrame> frames = Await.result(ENGINE.sse().open(id, null,
      MultiMap.caseInsensitiveMultiMap().add("Cookie", "eco2_access_token=" + token("alice"))).ended());
    assertThat(frames.stream().filter(SseFrame::isEvent).map(SseFrame::event)).contains("queued", "done");
  }

  @Test
  void otherRoutesDoNotTakeTheTokenFromTheQuery() {
    String id = submit(token("alice")).bodyAsJsonObject().getString("job_id");
    unauthorized(Await.result(ENGINE.engine().client().get("/api/v1/scan/" + id + "?access_token=" + token("alice")).send()));
  }

  @Test
  void anExpiredTokenInTheQueryIsUnauthorizedOnTheEventsRoute() {
    String id = submit(token("alice")).bodyAsJsonObject().getString("job_id");
    unauthorized(Await.result(ENGINE.engine().client().get("/api/v1/scan/" + id + "/events?access_token="
      + Tokens.hs256(SECRET, Tokens.claims("alice", AUDIENCE, ISSUER, -60))).send()));
  }

  @Test
  void noTokenIsEverLogged() {
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        records.add(record);
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    Logger root = Logger.getLogger("");
    Level level = root.getLevel();
    root.addHandler(handler);
    root.setLevel(Level.ALL);
    String good = token("alice");
    String expired = Tokens.hs256(SECRET, Tokens.claims("alice", AUDIENCE, ISSUER, -60));
    String forged = Tokens.hs256("nope", Tokens.claims("alice", AUDIENCE, ISSUER, 600));
    try {
      String id = submit(good).bodyAsJsonObject().getString("job_id");
      submit(expired);
      submit(forged);
      Await.result(ENGINE.engine().client().get("/api/v1/scan/" + id + "/events?access_token=" + forged).send());
      Await.result(ENGINE.sse().open(id, "access_token=" + good, null).ended());
    } finally {
      root.removeHandler(handler);
      root.setLevel(level);
    }
    for (LogRecord r : records) {
      String text = r.getMessage() + " " + java.util.Arrays.toString(r.getParameters()) + " " + r.getThrown();
      for (String t : List.of(good, expired, forged)) {
        assertThat(text).as("log record of %s", r.getLoggerName()).doesNotContain(t).doesNotContain(t.split("\\.")[2]);
      }
    }
  }
}
