package io.eco2.tests.auth;

import io.eco2.testkit.Await;
import io.eco2.tests.support.DistributedEnv;
import io.eco2.tests.support.EmbeddedEngine;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.eco2.tests.support.EmbeddedEngines;
import io.eco2.tests.support.Tokens;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.util.List;

import static io.eco2.tests.support.ApiChecks.assertApiError;
import static io.eco2.tests.support.ApiChecks.scan;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code auth.user-rate-limit.per-minute}: a user's submits beyond the limit in any minute get 429
 * {@code USER_RATE_LIMITED} with {@code Retry-After}; other users are not affected; in distributed mode
 * every API instance draws on the same budget.
 */
@ExtendWith(EmbeddedEngineExtension.class)
class UserRateLimitTest {

  private static final String SECRET = "rate-limit-secret";

  /** The distributed world (this test's own Redis key prefix) for the API instances sharing a budget. */
  @RegisterExtension
  final DistributedEnv env = new DistributedEnv();

  private static JsonObject limited(int perMinute) {
    return new JsonObject().put("auth", new JsonObject().put("mode", "jwt")
      .put("jwt", new JsonObject().put("secret", SECRET))
      .put("user-rate-limit", new JsonObject().put("per-minute", perMinute)));
  }

  private static HttpResponse<Buffer> submit(EmbeddedEngine engine, String user) {
    return Await.result(engine.client().post("/api/v1/scan").putHeader("Content-Type", "application/json")
      .putHeader("Authorization", "Bearer " + Tokens.hs256(SECRET, Tokens.claims(user, null, null, 600)))
      .sendBuffer(scan("x").toBuffer()));
  }

  private static void limitedWithRetryAfter(HttpResponse<Buffer> r) {
    assertApiError(r, 429, "USER_RATE_LIMITED");
    assertThat(Integer.parseInt(r.getHeader("Retry-After"))).isBetween(1, 60);
  }

  @Test
  void submitsBeyondTheLimitAreRefusedWithRetryAfter(EmbeddedEngines engines) {
    try (EmbeddedEngine engine = engines.start(EmbeddedEngine.pipeline(List.of("probe"), null).mergeIn(limited(2), true))) {
      assertThat(submit(engine, "alice").statusCode()).isEqualTo(200);
      assertThat(submit(engine, "alice").statusCode()).isEqualTo(200);
      limitedWithRetryAfter(submit(engine, "alice"));
      assertThat(submit(engine, "bob").statusCode()).as("another user's budget").isEqualTo(200);
    }
  }

  @Test
  void everyApiInstanceDrawsOnTheSameBudget(EmbeddedEngines engines) throws Exception {
    JsonObject api = new JsonObject(Files.readString(env.config("api", limited(2).put("role", "api"))));
    // closed here, before the environment deletes the keys under its prefix
    try (EmbeddedEngine a = engines.start(api); EmbeddedEngine b = engines.start(api)) {
      assertThat(submit(a, "carol").statusCode()).isEqualTo(200);
      assertThat(submit(b, "carol").statusCode()).isEqualTo(200);
      limitedWithRetryAfter(submit(a, "carol"));
      limitedWithRetryAfter(submit(b, "carol"));
    }
  }
}
