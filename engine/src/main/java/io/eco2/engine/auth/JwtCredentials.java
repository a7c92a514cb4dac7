package io.eco2.engine.auth;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.NoSuchKeyIdException;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@code auth.mode: jwt} through vertx-auth-jwt: signature, {@code exp}/{@code nbf}/{@code iat} (with the
 * clock skew), issuer and audience are checked by Vert.x's provider; the user is the configured claim.
 *
 * <p>Key sources (exactly one, the configuration checks it): an HS256 secret (its UTF-8 bytes, as jwt.io
 * uses them), a PEM public key (RS256 for RSA, ES256 for EC) or a JWKS URL. The key set is fetched at first
 * use and again when a token names a {@code kid} it does not hold, at most once per
 * {@code auth.jwt.jwks-min-refresh-seconds}, with a 5 s timeout, at most {@value #MAX_JWKS_BYTES} bytes and
 * {@value #MAX_JWKS_KEYS} keys: a flood of tokens with made-up key ids costs one fetch per interval.
 */
final class JwtCredentials implements Credentials {

  static final int MAX_JWKS_KEYS = 100;
  static final int MAX_JWKS_BYTES = 1 << 20;
  static final int JWKS_TIMEOUT_MS = 5000;

  private final Vertx vertx;
  private final AuthOptions options;
  private final WebClient jwksClient;
  private volatile JWTAuth provider;
  // Guarded by this: the single fetch in flight and when the last one began.
  private Future<JWTAuth> fetching;
  private long lastFetchMillis = Long.MIN_VALUE / 2;

  private JwtCredentials(Vertx vertx, AuthOptions options, JWTAuth provider, WebClient jwksClient) {
    this.vertx = vertx;
    this.options = options;
    this.provider = provider;
    this.jwksClient = jwksClient;
  }

  /** Reads the key (file) now, so that a bad key stops start-up; a JWKS URL is fetched on first use. */
  static JwtCredentials create(Vertx vertx, AuthOptions options) {
    if (!options.jwksUrl().isEmpty()) {
      return new JwtCredentials(vertx, options, null, WebClient.create(vertx, new WebClientOptions()
        .setConnectTimeout(JWKS_TIMEOUT_MS).setIdleTimeout(30)));
    }
    PubSecKeyOptions key;
    if (!options.jwtSecret().isEmpty()) {
      key = new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(Buffer.buffer(options.jwtSecret(), "UTF-8"));
    } else {
      String pem = readPem(options.jwtPublicKeyFile());
      key = new PubSecKeyOptions().setAlgorithm(algorithmOf(pem, options.jwtPublicKeyFile())).setBuffer(pem);
    }
    return new JwtCredentials(vertx, options, JWTAuth.create(vertx, authOptions(options).addPubSecKey(key)), null);
  }

  private static JWTAuthOptions authOptions(AuthOptions options) {
    JWTOptions jwt = new JWTOptions().setLeeway(options.clockSkewSeconds());
    if (!options.issuer().isEmpty()) {
      jwt.setIssuer(options.issuer());
    }
    if (!options.audience().isEmpty()) {
      jwt.setAudience(List.of(options.audience()));
    }
    return new JWTAuthOptions().setJWTOptions(jwt);
  }

  private static String readPem(String file) {
    try {
      return Files.readString(Path.of(file), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("auth.jwt.public-key-file: cannot read '" + file + "': " + e.getMessage(), e);
    }
  }

  // The file says RSA or EC only through the key itself: parse it as each.
  static String algorithmOf(String pem, String file) {
    String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    if (!pem.contains("-----BEGIN PUBLIC KEY-----")) {
      throw new IllegalArgumentException("auth.jwt.public-key-file: '" + file + "' is not a PEM public key (-----BEGIN PUBLIC KEY-----)");
    }
    byte[] der;
    try {
      der = Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("auth.jwt.public-key-file: '" + file + "' holds invalid base64", e);
    }
    for (String[] kind : new String[][] {{"RSA", "RS256"}, {"EC", "ES256"}}) {
      try {
        KeyFactory.getInstance(kind[0]).generatePublic(new X509EncodedKeySpec(der));
        return kind[1];
      } catch (Exception notThisKind) {
        // try the next
      }
    }
    throw new IllegalArgumentException("auth.jwt.public-key-file: '" + file + "' is neither an RSA nor an EC public key");
  }

  @Override
  public Future<Caller> verify(String token) {
    return current().compose(p -> authenticate(p, token))
      .recover(err -> err instanceof NoSuchKeyIdException && jwksClient != null
        ? refresh(false).compose(p -> authenticate(p, token))
        : Future.failedFuture(err))
      .transform(ar -> {
        if (ar.succeeded()) {
          return caller(ar.result());
        }
        Throwable err = ar.cause();
        if (err instanceof JwksUnavailable) {
          return Future.failedFuture(err);
        }
        return Future.failedFuture(AuthFailure.invalid(reason(err, token)));
      });
  }

  private static Future<User> authenticate(JWTAuth p, String token) {
    return p.authenticate(new TokenCredentials(token));
  }

  private Future<Caller> caller(User user) {
    Object id = user.principal().getValue(options.userClaim());
    if (!(id instanceof String) || ((String) id).isEmpty()) {
      return Future.failedFuture(AuthFailure.invalid("the token has no '" + options.userClaim() + "' claim (auth.jwt.user-claim)"));
    }
    return Future.succeededFuture(new Caller((String) id));
  }

  // Vert.x's messages name what failed (expired, audience, issuer, signature) without the token; the
  // token is masked anyway, so that no future message can carry it into a response or a log.
  private static String reason(Throwable err, String token) {
    if (err instanceof NoSuchKeyIdException) {
      return "the token is signed with an unknown key or algorithm";
    }
    String msg = err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
    msg = msg.replace(token, "***");
    if (msg.length() > 200) {
      msg = msg.substring(0, 200);
    }
    return "invalid token: " + msg;
  }

  private Future<JWTAuth> current() {
    JWTAuth p = provider;
    return p != null ? Future.succeededFuture(p) : refresh(true);
  }

  /** Fetches the key set unless one fetch is under way (joined) or the last began too recently. */
  private synchronized Future<JWTAuth> refresh(boolean firstUse) {
    if (fetching != null) {
      return fetching;
    }
    long now = System.currentTimeMillis();
    if (provider != null && now - lastFetchMillis < options.jwksMinRefreshSeconds() * 1000L) {
      return Future.succeededFuture(provider);
    }
    if (provider == null && !firstUse && now - lastFetchMillis < options.jwksMinRefreshSeconds() * 1000L) {
      return Future.failedFuture(new JwksUnavailable("the key set at auth.jwt.jwks-url could not be fetched recently; retry later"));
    }
    lastFetchMillis = now;
    Promise<JWTAuth> p = Promise.promise();
    fetching = p.future();
    fetchKeys().onComplete(ar -> {
      synchronized (this) {
        fetching = null;
      }
      if (ar.succeeded()) {
        provider = ar.result();
        p.complete(ar.result());
      } else if (provider != null) {
        // keep serving with the keys we have; the next unknown kid may try again after the interval
        p.complete(provider);
      } else {
        p.fail(new JwksUnavailable("the key set at auth.jwt.jwks-url could not be fetched: " + ar.cause().getMessage()));
      }
    });
    return fetching;
  }

  private Future<JWTAuth> fetchKeys() {
    return jwksClient.getAbs(options.jwksUrl()).timeout(JWKS_TIMEOUT_MS).send().compose(r -> {
      if (r.statusCode() != 200) {
        return Future.failedFuture("HTTP " + r.statusCode());
      }
      Buffer body = r.bodyAsBuffer();
      if (body == null || body.length() > MAX_JWKS_BYTES) {
        return Future.failedFuture("empty or larger than " + MAX_JWKS_BYTES + " bytes");
      }
      JsonArray keys;
      try {
        keys = new JsonObject(body).getJsonArray("keys");
      } catch (RuntimeException e) {
        return Future.failedFuture("not a JSON Web Key Set: " + e.getMessage());
      }
      if (keys == null) {
        return Future.failedFuture("no 'keys' array");
      }
      List<JsonObject> jwks = new ArrayList<>();
      for (int i = 0; i < keys.size() && jwks.size() < MAX_JWKS_KEYS; i++) {
        if (keys.getValue(i) instanceof JsonObject k) {
          jwks.add(k);
        }
      }
      return Future.succeededFuture(JWTAuth.create(vertx, authOptions(options).setJwks(jwks)));
    });
  }

  void close() {
    if (jwksClient != null) {
      jwksClient.close();
    }
  }

  /** The key set cannot be had: not the caller's fault (answered 503, not 401). */
  static final class JwksUnavailable extends RuntimeException {
    JwksUnavailable(String message) {
      super(message, null, false, false);
    }
  }
}
