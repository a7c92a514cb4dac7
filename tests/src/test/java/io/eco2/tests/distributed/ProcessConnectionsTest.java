package io.eco2.tests.distributed;

import io.eco2.testkit.Await;
import io.eco2.tests.support.DistributedEnv;
import io.eco2.tests.support.EngineProcess;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9 §6, "one owner per resource": a distributed process holds exactly {@code redis.pool-size} pooled
 * Redis connections plus the one live (subscriber) connection, and one RabbitMQ connection, whatever else it
 * runs. Every part that talks to Redis is on: the event log, API-key ownership and the per-user submit limit,
 * the LLM rate limit, the watchdog's lease and sweep, the autoscaler, the KEDA scaler, worker reports and
 * delivery counts. A part that opened a client of its own would show up here as one connection more.
 */
class ProcessConnectionsTest {

  private static final int POOL = 2;
  private static final int JOBS = 40;
  private static final String KEY = "connections-key";

  @RegisterExtension
  final DistributedEnv env = new DistributedEnv();

  @Test
  void apiAndWorkerEachHoldThePoolPlusOneLiveRedisConnectionAndOneAmqpConnection() throws Exception {
    var conf = env.config("app", new JsonObject()
      .put("redis", new JsonObject().put("pool-size", POOL))
      .put("http", new JsonObject().put("api-keys", new JsonArray().add(KEY)))
      .put("auth", new JsonObject().put("mode", "api-key").put("user-rate-limit", new JsonObject().put("per-minute", 100_000)))
      .put("llm", new JsonObject().put("rate-limit", new JsonObject().put("requests-per-minute", 100_000)))
      .put("watchdog", new JsonObject().put("enabled", true))
      .put("scaling", new JsonObject().put("enabled", true).put("grpc-port", 0)));
    EngineProcess api = env.start("api", conf, "api");
    EngineProcess worker = env.start("worker", conf, "worker");

    // A burst, so that commands overlap and each pool opens every connection it may.
    List<Future<String>> submits = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      submits.add(env.web().post(api.port(), "127.0.0.1", "/api/v1/scan").putHeader("Content-Type", "application/json")
        .putHeader("Authorization", "Bearer " + KEY)
        .sendJsonObject(new JsonObject().put("image_url", "https://example.com/photos/conn-" + i + ".jpg"))
        .map(r -> {
          if (r.statusCode() != 200) {
            throw new AssertionError("submit answered " + r.statusCode() + ": " + r.bodyAsString());
          }
          return r.bodyAsJsonObject().getString("job_id");
        }));
    }
    List<String> ids = Await.result(Future.all(submits)).list();
    Await.until("every job has its result", () -> ids.stream()
      .allMatch(id -> env.redis("EXISTS", env.prefix() + ":result:" + id).toInteger() == 1));

    for (EngineProcess p : List.of(api, worker)) {
      Await.until(p.label() + "'s Redis connections: pool (" + POOL + ") + live", () -> env.redisClientsOf(p).size(),
        n -> n == POOL + 1);
      Await.holdsFor(Duration.ofSeconds(2), p.label() + " opens no further Redis connection", () ->
        assertThat(env.redisClientsOf(p)).as(p.label() + "'s Redis connections").hasSize(POOL + 1));
      assertThat(DistributedEnv.rabbitConnectionPids(p))
        .as(p.label() + "'s RabbitMQ connections").hasSize(1);
    }
  }
}
