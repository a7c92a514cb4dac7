package io.eco2.engine.auth;

import io.vertx.core.Future;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code auth.mode: api-key}: the keys of {@code http.api-keys}, each one user. The user id is a digest of
 * the key ({@code key-<16 hex>}), so ownership records and logs never hold a key. Keys are compared in
 * constant time.
 */
final class ApiKeyCredentials implements Credentials {

  private final List<byte[]> keys;

  ApiKeyCredentials(List<String> keys) {
    this.keys = keys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
  }

  @Override
  public Future<Caller> verify(String token) {
    byte[] given = token.getBytes(StandardCharsets.UTF_8);
    boolean match = false;
    for (byte[] key : keys) {
      match |= MessageDigest.isEqual(key, given);
    }
    return match ? Future.succeededFuture(new Caller(userId(given)))
      : Future.failedFuture(AuthFailure.invalid("the API key is not one of http.api-keys"));
  }

  static String userId(byte[] key) {
    try {
      return "key-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
