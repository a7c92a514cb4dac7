package io.eco2.tests.support;

import io.vertx.core.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * JSON Web Tokens signed with the JDK's own crypto, independently of the engine's JWT library, the way an
 * identity provider (or jwt.io) would sign them: HS256 over the UTF-8 bytes of a secret, RS256, and ES256
 * (the JOSE r||s signature form).
 */
public final class Tokens {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private Tokens() {
  }

  /** Claims for user {@code sub}, expiring {@code expiresInSeconds} from now (negative: already expired). */
  public static JsonObject claims(String sub, String audience, String issuer, long expiresInSeconds) {
    long now = System.currentTimeMillis() / 1000;
    JsonObject c = new JsonObject().put("iat", now).put("exp", now + expiresInSeconds);
    if (sub != null) {
      c.put("sub", sub);
    }
    if (audience != null) {
      c.put("aud", audience);
    }
    if (issuer != null) {
      c.put("iss", issuer);
    }
    return c;
  }

  public static String hs256(String secret, JsonObject claims) {
    String input = header("HS256", null) + "." + part(claims);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String rs256(PrivateKey key, String kid, JsonObject claims) {
    return signed("RS256", "SHA256withRSA", key, kid, claims);
  }

  public static String es256(PrivateKey key, String kid, JsonObject claims) {
    return signed("ES256", "SHA256withECDSAinP1363Format", key, kid, claims);
  }

  private static String signed(String alg, String jdkAlg, PrivateKey key, String kid, JsonObject claims) {
    String input = header(alg, kid) + "." + part(claims);
    try {
      Signature s = Signature.getInstance(jdkAlg);
      s.initSign(key);
      s.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + B64.encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String header(String alg, String kid) {
    JsonObject h = new JsonObject().put("alg", alg).put("typ", "JWT");
    if (kid != null) {
      h.put("kid", kid);
    }
    return part(h);
  }

  private static String part(JsonObject json) {
    return B64.encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }

  public static KeyPair rsaKeys() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static KeyPair ecKeys() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The key as a PEM {@code PUBLIC KEY} (SubjectPublicKeyInfo), as identity providers publish it. */
  public static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
      .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
  }

  /** The RSA key as a JWK of a key set. */
  public static JsonObject jwk(RSAPublicKey key, String kid) {
    return new JsonObject().put("kty", "RSA").put("kid", kid).put("use", "sig").put("alg", "RS256")
      .put("n", unsigned(key.getModulus())).put("e", unsigned(key.getPublicExponent()));
  }

  private static String unsigned(BigInteger n) {
    byte[] b = n.toByteArray();
    if (b.length > 1 && b[0] == 0) {
      b = java.util.Arrays.copyOfRange(b, 1, b.length);
    }
    return B64.encodeToString(b);
  }
}
