package io.eco2.engine.auth;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The {@code auth} section and {@code http.api-keys}: how callers prove who they are.
 *
 * <p>A data object in the Vert.x style for the {@code auth} section: every default is a {@code DEFAULT_*}
 * constant here (the only source: the configuration schema registers these); {@link #AuthOptions(JsonObject)}
 * reads the section and {@link #toJson()} writes it. The API keys come from {@code http.api-keys}
 * ({@link #setApiKeys}); {@code auth.mode: auto} resolves against them in {@link #mode()}.
 */
public final class AuthOptions {

  /** How requests to {@code /api/v1/*} are authenticated. */
  public enum Mode {
    NONE, API_KEY, JWT;

    static Mode parse(String value, boolean haveKeys) {
      return switch (value) {
        case "none" -> NONE;
        case "api-key" -> API_KEY;
        case "jwt" -> JWT;
        case "auto" -> haveKeys ? API_KEY : NONE;
        default -> throw new IllegalArgumentException("auth.mode: must be auto, none, api-key or jwt, got '" + value + "'");
      };
    }
  }

  /** {@code auth.mode}: api-key when {@code http.api-keys} is set, else none. */
  public static final String DEFAULT_MODE = "auto";
  /** {@code auth.jwt.secret}, {@code auth.jwt.public-key-file}, {@code auth.jwt.jwks-url}, {@code auth.jwt.issuer}, {@code auth.jwt.audience}: unset. */
  public static final String DEFAULT_UNSET = "";
  public static final String DEFAULT_USER_CLAIM = "sub";
  public static final int DEFAULT_CLOCK_SKEW_SECONDS = 30;
  public static final int DEFAULT_JWKS_MIN_REFRESH_SECONDS = 30;
  public static final String DEFAULT_COOKIE_NAME = "eco2_access_token";
  public static final int DEFAULT_USER_RATE_LIMIT_PER_MINUTE = 0;
  /** The query parameter an EventSource may carry its credential in. */
  public static final String ACCESS_TOKEN_PARAM = "access_token";

  private String modeSetting = DEFAULT_MODE;
  private Mode mode;
  private List<String> apiKeys = List.of();
  private String jwtSecret = "";
  private String jwtPublicKeyFile = "";
  private String jwksUrl = "";
  private int jwksMinRefreshSeconds = DEFAULT_JWKS_MIN_REFRESH_SECONDS;
  private String issuer = "";
  private String audience = "";
  private int clockSkewSeconds = DEFAULT_CLOCK_SKEW_SECONDS;
  private String userClaim = DEFAULT_USER_CLAIM;
  private String cookieName = DEFAULT_COOKIE_NAME;
  private long userRateLimitPerMinute = DEFAULT_USER_RATE_LIMIT_PER_MINUTE;

  public AuthOptions() {
  }

  /** Reads the {@code auth} section; absent keys keep their defaults. */
  public AuthOptions(JsonObject auth) {
    JsonObject jwt = auth.getJsonObject("jwt", new JsonObject());
    modeSetting = auth.getString("mode", DEFAULT_MODE);
    jwtSecret = jwt.getString("secret", DEFAULT_UNSET);
    jwtPublicKeyFile = jwt.getString("public-key-file", DEFAULT_UNSET);
    jwksUrl = jwt.getString("jwks-url", DEFAULT_UNSET);
    jwksMinRefreshSeconds = jwt.getInteger("jwks-min-refresh-seconds", DEFAULT_JWKS_MIN_REFRESH_SECONDS);
    issuer = jwt.getString("issuer", DEFAULT_UNSET);
    audience = jwt.getString("audience", DEFAULT_UNSET);
    clockSkewSeconds = jwt.getInteger("clock-skew-seconds", DEFAULT_CLOCK_SKEW_SECONDS);
    userClaim = jwt.getString("user-claim", DEFAULT_USER_CLAIM);
    cookieName = auth.getString("cookie-name", DEFAULT_COOKIE_NAME);
    userRateLimitPerMinute = auth.getJsonObject("user-rate-limit", new JsonObject()).getLong("per-minute", (long) DEFAULT_USER_RATE_LIMIT_PER_MINUTE);
  }

  public AuthOptions(AuthOptions other) {
    this(other.toJson());
    apiKeys = other.apiKeys;
    mode = other.mode;
  }

  /** The {@code auth} section (the API keys belong to {@code http}). */
  public JsonObject toJson() {
    return new JsonObject().put("mode", mode == null ? modeSetting : mode.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
      .put("jwt", new JsonObject().put("secret", jwtSecret).put("public-key-file", jwtPublicKeyFile).put("jwks-url", jwksUrl)
        .put("jwks-min-refresh-seconds", jwksMinRefreshSeconds).put("issuer", issuer).put("audience", audience)
        .put("clock-skew-seconds", clockSkewSeconds).put("user-claim", userClaim))
      .put("cookie-name", cookieName)
      .put("user-rate-limit", new JsonObject().put("per-minute", userRateLimitPerMinute));
  }

  /** The mode in force: {@code auth.mode}, with {@code auto} resolved against the API keys. */
  public Mode mode() { return mode != null ? mode : Mode.parse(modeSetting, !apiKeys.isEmpty()); }
  public AuthOptions setMode(Mode mode) { this.mode = mode; return this; }

  /** The keys of {@link Mode#API_KEY}; each key is one user. */
  public List<String> apiKeys() { return apiKeys; }
  public AuthOptions setApiKeys(List<String> apiKeys) { this.apiKeys = List.copyOf(apiKeys); return this; }

  public String jwtSecret() { return jwtSecret; }
  public AuthOptions setJwtSecret(String jwtSecret) { this.jwtSecret = jwtSecret; return this; }

  public String jwtPublicKeyFile() { return jwtPublicKeyFile; }
  public AuthOptions setJwtPublicKeyFile(String file) { this.jwtPublicKeyFile = file; return this; }

  public String jwksUrl() { return jwksUrl; }
  public AuthOptions setJwksUrl(String jwksUrl) { this.jwksUrl = jwksUrl; return this; }

  public int jwksMinRefreshSeconds() { return jwksMinRefreshSeconds; }
  public AuthOptions setJwksMinRefreshSeconds(int s) { this.jwksMinRefreshSeconds = s; return this; }

  public String issuer() { return issuer; }
  public AuthOptions setIssuer(String issuer) { this.issuer = issuer; return this; }

  public String audience() { return audience; }
  public AuthOptions setAudience(String audience) { this.audience = audience; return this; }

  public int clockSkewSeconds() { return clockSkewSeconds; }
  public AuthOptions setClockSkewSeconds(int s) { this.clockSkewSeconds = s; return this; }

  public String userClaim() { return userClaim; }
  public AuthOptions setUserClaim(String userClaim) { this.userClaim = userClaim; return this; }

  public String cookieName() { return cookieName; }
  public AuthOptions setCookieName(String cookieName) { this.cookieName = cookieName; return this; }

  /** Submits per user per minute; 0 = unlimited. */
  public long userRateLimitPerMinute() { return userRateLimitPerMinute; }
  public AuthOptions setUserRateLimitPerMinute(long n) { this.userRateLimitPerMinute = n; return this; }

  /** Secrets left out. */
  @Override
  public String toString() {
    return "AuthOptions{mode=" + mode() + ", apiKeys=" + apiKeys.size() + ", jwt=" + (mode() != Mode.JWT ? "-"
      : (!jwtSecret.isEmpty() ? "HS256 secret" : !jwtPublicKeyFile.isEmpty() ? "public key " + jwtPublicKeyFile : "JWKS " + jwksUrl))
      + ", issuer='" + issuer + "', audience='" + audience + "', userRateLimitPerMinute=" + userRateLimitPerMinute + "}";
  }
}
