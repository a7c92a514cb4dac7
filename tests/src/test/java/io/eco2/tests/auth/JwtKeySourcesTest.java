package io.eco2.tests.auth;

import io.eco2.testkit.Await;
import io.eco2.tests.support.EmbeddedEngine;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.eco2.tests.support.EmbeddedEngines;
import io.eco2.tests.support.Tokens;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.eco2.tests.support.ApiChecks.assertApiError;
import static io.eco2.tests.support.ApiChecks.scan;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The asymmetric key sources of {@code auth.mode: jwt}: a PEM public key file (RS256 and ES256) and a JWKS
 * URL that is fetched again when a token names an unknown {@code kid}, at most once per refresh interval.
 */
@ExtendWith(EmbeddedEngineExtension.class)
class JwtKeySourcesTest {

  private static EmbeddedEngine engine(EmbeddedEngines engines, JsonObject jwt) {
    return engines.start(EmbeddedEngine.pipeline(List.of("probe"), null)
      .put("auth", new JsonObject().put("mode", "jwt").put("jwt", jwt)));
  }

  private static int submit(EmbeddedEngine engine, String token) {
    HttpResponse<Buffer> r = Await.result(engine.client().post("/api/v1/scan").putHeader("Content-Type", "application/json")
      .putHeader("Authorization", "Bearer " + token).sendBuffer(scan("x").toBuffer()));
    if (r.statusCode() == 401) {
      assertApiError(r, 401, "UNAUTHORIZED");
    }
    return r.statusCode();
  }

  private static Path keyFile(KeyPair keys) throws Exception {
    Path file = Files.createTempFile("eco2-jwt-", ".pem");
    file.toFile().deleteOnExit();
    Files.writeString(file, Tokens.pem(keys.getPublic()));
    return file;
  }

  @Test
  void anRs256TokenIsCheckedAgainstThePublicKeyFile(EmbeddedEngines engines) throws Exception {
    KeyPair keys = Tokens.rsaKeys();
    try (EmbeddedEngine engine = engine(engines, new JsonObject().put("public-key-file", keyFile(keys).toString()))) {
      assertThat(submit(engine, Tokens.rs256(keys.getPrivate(), null, Tokens.claims("alice", null, null, 600)))).isEqualTo(200);
      assertThat(submit(engine, Tokens.rs256(Tokens.rsaKeys().getPrivate(), null, Tokens.claims("alice", null, null, 600)))).isEqualTo(401);
      // an HS256 token "signed" with the public key itself must not pass (algorithm confusion)
      assertThat(submit(engine, Tokens.hs256(Tokens.pem(keys.getPublic()), Tokens.claims("alice", null, null, 600)))).isEqualTo(401);
    }
  }

  @Test
  void anEs256TokenIsCheckedAgainstThePublicKeyFile(EmbeddedEngines engines) throws Exception {
    KeyPair keys = Tokens.ecKeys();
    try (EmbeddedEngine engine = engine(engines, new JsonObject().put("public-key-file", keyFile(keys).toString()))) {
      assertThat(submit(engine, Tokens.es256(keys.getPrivate(), null, Tokens.claims("alice", null, null, 600)))).isEqualTo(200);
      assertThat(submit(engine, Tokens.es256(Tokens.ecKeys().getPrivate(), null, Tokens.claims("alice", null, null, 600)))).isEqualTo(401);
    }
  }

  @Test
  void aRotatedJwksKeyIsFetchedOnceForItsUnknownKid(EmbeddedEngines engines) {
    KeyPair first = Tokens.rsaKeys();
    KeyPair second = Tokens.rsaKeys();
    AtomicReference<JsonArray> published = new AtomicReference<>(new JsonArray().add(Tokens.jwk((RSAPublicKey) first.getPublic(), "k1")));
    AtomicInteger fetches = new AtomicInteger();
    HttpServer jwks = Await.result(engines.vertx().createHttpServer().requestHandler(req -> {
      fetches.incrementAndGet();
      req.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("keys", published.get()).encode());
    }).listen(0, "127.0.0.1"));
    try (EmbeddedEngine engine = engine(engines, new JsonObject().put("jwks-url", "http://127.0.0.1:" + jwks.actualPort() + "/jwks.json")
      .put("jwks-min-refresh-seconds", 1))) {
      assertThat(submit(engine, Tokens.rs256(first.getPrivate(), "k1", Tokens.claims("alice", null, null, 600)))).isEqualTo(200);
      assertThat(fetches.get()).isEqualTo(1);
      assertThat(submit(engine, Tokens.rs256(first.getPrivate(), "k1", Tokens.claims("alice", null, null, 600)))).isEqualTo(200);
      assertThat(fetches.get()).as("a known kid needs no fetch").isEqualTo(1);

      // the provider rotates to k2; the first token naming it makes the engine fetch the set again
      published.set(new JsonArray().add(Tokens.jwk((RSAPublicKey) second.getPublic(), "k2")));
      String rotated = Tokens.rs256(second.getPrivate(), "k2", Tokens.claims("alice", null, null, 600));
      Await.until("a token naming the rotated kid accepted", () -> submit(engine, rotated) == 200);
      assertThat(fetches.get()).isGreaterThanOrEqualTo(2);
    } finally {
      Await.result(jwks.close());
    }
  }

  @Test
  void tokensWithMadeUpKidsCauseAtMostOneFetchPerInterval(EmbeddedEngines engines) {
    KeyPair keys = Tokens.rsaKeys();
    AtomicInteger fetches = new AtomicInteger();
    HttpServer jwks = Await.result(engines.vertx().createHttpServer().requestHandler(req -> {
      fetches.incrementAndGet();
      req.response().end(new JsonObject().put("keys", new JsonArray().add(Tokens.jwk((RSAPublicKey) keys.getPublic(), "k1"))).encode());
    }).listen(0, "127.0.0.1"));
    try (EmbeddedEngine engine = engine(engines, new JsonObject().put("jwks-url", "http://127.0.0.1:" + jwks.actualPort() + "/")
      .put("jwks-min-refresh-seconds", 3600))) {
      assertThat(submit(engine, Tokens.rs256(keys.getPrivate(), "k1", Tokens.claims("alice", null, null, 600)))).isEqualTo(200);
      KeyPair mallory = Tokens.rsaKeys();
      for (int i = 0; i < 20; i++) {
        assertThat(submit(engine, Tokens.rs256(mallory.getPrivate(), "made-up-" + i, Tokens.claims("mallory", null, null, 600))))
          .isEqualTo(401);
      }
      assertThat(fetches.get()).isEqualTo(1);
    } finally {
      Await.result(jwks.close());
    }
  }
}
