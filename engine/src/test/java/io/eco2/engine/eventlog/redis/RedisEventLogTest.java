package io.eco2.engine.eventlog.redis;

import io.eco2.engine.config.EngineOptions;
import io.eco2.engine.eventlog.EventId;
import io.eco2.engine.eventlog.LoggedEvent;
import io.eco2.engine.eventlog.TransitionOutcome;
import io.eco2.engine.job.ProgressEvent;
import io.eco2.engine.job.ProgressUpdate;
import io.eco2.testkit.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The log's and store's promises against the real local Redis (CONTRACT §4 layout). */
@ExtendWith(VertxExtension.class)
class RedisEventLogTest {

  private RedisTestSupport redis;
  private RedisEventLog log;
  private final String job = UUID.randomUUID().toString();

  @BeforeEach
  void setUp(Vertx vertx) {
    redis = new RedisTestSupport(vertx);
    log = redis.start(redis.options(RedisTestSupport.uniqueName("log")));
  }

  @AfterEach
  void tearDown() {
    redis.close();
  }

  private ProgressEvent append(String stage, String status, int progress, JsonObject result) {
    return Await.result(log.append(job, ProgressUpdate.of(stage, status, progress, result, 0)));
  }

  @Test
  void idsAndSeqsStrictlyIncreaseAndMatchTheStream() {
    List<ProgressEvent> appended = new ArrayList<>();
    appended.add(append("queued", "completed", 0, null));
    for (int attempt = 0; attempt < 20; attempt++) {
      appended.add(Await.result(log.append(job, ProgressUpdate.of("vision", "retrying", 0, null, attempt))));
    }
    assertThat(appended.get(0).seq()).isZero();
    for (int i = 1; i < appended.size(); i++) {
      assertThat(EventId.parse(appended.get(i).id()).isAfter(EventId.parse(appended.get(i - 1).id()))).isTrue();
      assertThat(appended.get(i).seq()).isEqualTo(i);
      assertThat(appended.get(i).ts()).isGreaterThanOrEqualTo(appended.get(i - 1).ts());
    }

    Response stream = redis.cmd(Command.XRANGE, redis.prefix + ":events:" + job, "-", "+");
    List<String> ids = new ArrayList<>();
    List<String> seqs = new ArrayList<>();
    stream.forEach(entry -> {
      ids.add(entry.get(0).toString());
      Response f = entry.get(1);
      for (int i = 0; i < f.size(); i += 2) {
        if ("seq".equals(f.get(i).toString())) {
          seqs.add(f.get(i + 1).toString());
        }
      }
    });
    assertThat(ids).containsExactlyElementsOf(appended.stream().map(ProgressEvent::id).toList());
    assertThat(seqs).containsExactlyElementsOf(appended.stream().map(e -> Long.toString(e.seq())).toList());
    assertThat(Await.result(log.readAfter(job, EventId.ZERO))).containsExactlyElementsOf(appended);
  }

  @Test
  void aRedeliveredStepIsLoggedOnceAndAnswersTheFirstEvent() {
    ProgressEvent first = append("vision", "completed", 25, new JsonObject().put("a", 1));
    ProgressEvent again = Await.result(log.append(job,
      new ProgressUpdate("vision", "completed", 25, new JsonObject().put("a", 2), first.stage() + ":completed:0")));
    assertThat(again).isEqualTo(first);
    assertThat(again.result()).isEqualTo(new JsonObject().put("a", 1));
    assertThat(redis.cmd(Command.XLEN, redis.prefix + ":events:" + job).toLong()).isEqualTo(1);
    ProgressEvent next = append("rule", "started", 25, null);
    assertThat(next.seq()).isEqualTo(1);
  }

  @Test
  void readAfterIsExclusiveAndEmptyForUnknownJobs() {
    ProgressEvent a = append("queued", "completed", 0, null);
    ProgressEvent b = append("vision", "started", 0, null);
    ProgressEvent c = append("vision", "completed", 25, new JsonObject());
    assertThat(Await.result(log.readAfter(job, EventId.parse(a.id())))).containsExactly(b, c);
    assertThat(Await.result(log.readAfter(job, EventId.parse(c.id())))).isEmpty();
    assertThat(Await.result(log.readAfter(job, EventId.ZERO))).containsExactly(a, b, c);
    assertThat(Await.result(log.readAfter("no-such-job", EventId.ZERO))).isEmpty();
  }

  @Test
  void latestIsTheLastEventFromTheStateKey() {
    assertThat(Await.result(log.latest(job))).isNull();
    append("queued", "completed", 0, null);
    ProgressEvent last = append("vision", "completed", 25, new JsonObject().put("k", "v"));
    assertThat(Await.result(log.latest(job))).isEqualTo(last);
    JsonObject state = new JsonObject(redis.cmd(Command.GET, redis.prefix + ":state:" + job).toString());
    assertThat(state.getString("id")).isEqualTo(last.id());
    assertThat(state.getLong("seq")).isEqualTo(1L);
    assertThat(state.getJsonObject("result")).isEqualTo(new JsonObject().put("k", "v"));
  }

  @Test
  void eventsStateAndResultExpireAfterTheTtl() {
    Await.result(log.putResult(job, new JsonObject().put("status", "completed")));
    append("done", "completed", 100, null);
    long ttlMs = log.options().ttl().toMillis();
    for (String key : List.of(":events:", ":state:", ":result:")) {
      long pttl = redis.cmd(Command.PTTL, redis.prefix + key + job).toLong();
      assertThat(pttl).as(key).isPositive().isLessThanOrEqualTo(ttlMs);
    }
  }

  @Test
  void resultsRoundTripAndArraysStayArrays() {
    assertThat(Await.result(log.result(job))).isNull();
    JsonObject body = new JsonObject().put("status", "completed").put("degraded", new JsonArray())
      .put("reward", null).put("nested", new JsonObject().put("list", new JsonArray().add(1).add("두")));
    Await.result(log.putResult(job, body));
    assertThat(Await.result(log.result(job))).isEqualTo(body);

    // Through the Lua script: appended, read back, latest, and the raw state and notification JSON.
    ProgressEvent done = append("done", "completed", 100, body);
    assertThat(done.result().getValue("degraded")).isInstanceOf(JsonArray.class);
    assertThat(Await.result(log.readAfter(job, EventId.ZERO)).get(0).result()).isEqualTo(body);
    assertThat(Await.result(log.latest(job)).result()).isEqualTo(body);
    String state = redis.cmd(Command.GET, redis.prefix + ":state:" + job).toString();
    assertThat(state).contains("\"degraded\":[]");
  }

  @Test
  void idempotencyKeysAreClaimedOnceAndCanBeReleased() {
    String key = UUID.randomUUID().toString();
    JsonObject first = new JsonObject().put("job_id", "a").put("status", "queued");
    JsonObject second = new JsonObject().put("job_id", "b").put("status", "queued");
    assertThat(Await.result(log.claimIdempotencyKey(key, first))).isNull();
    assertThat(Await.result(log.claimIdempotencyKey(key, second))).isEqualTo(first);
    long pttl = redis.cmd(Command.PTTL, redis.prefix + ":idempotency:" + key).toLong();
    assertThat(pttl).isPositive().isLessThanOrEqualTo(log.options().idempotencyTtl().toMillis());
    Await.result(log.releaseIdempotencyKey(key));
    assertThat(Await.result(log.claimIdempotencyKey(key, second))).isNull();
    assertThat(Await.result(log.claimIdempotencyKey(key, first))).isEqualTo(second);
  }

  @Test
  void discardRemovesTheJob() {
    append("queued", "completed", 0, null);
    Await.result(log.putResult(job, new JsonObject()));
    Await.result(log.discard(job));
    assertThat(Await.result(log.latest(job))).isNull();
    assertThat(Await.result(log.readAfter(job, EventId.ZERO))).isEmpty();
    assertThat(Await.result(log.result(job))).isNull();
  }

  @Test
  void anAppendScriptTheServerDoesNotKnowFallsBackToEval() {
    // SCRIPT FLUSH would hit other users of this server; a variant of the script (a unique trailing comment)
    // has a sha the server has never seen, which is what it answers NOSCRIPT to after a restart.
    AppendScript fresh = new AppendScript(AppendScript.resource() + "\n-- " + UUID.randomUUID() + "\n");
    assertThat(redis.cmd(Command.SCRIPT, "EXISTS", fresh.sha()).get(0).toInteger()).isZero();
    Response reply = Await.result(fresh.run(redis.raw,
      List.of(redis.prefix + ":events:" + job, redis.prefix + ":state:" + job, redis.prefix + ":result:" + job,
        redis.prefix + ":active"),
      List.of("0", "60000", job, redis.prefix + ":notify", "", "0", "1", "queued:completed:0", "queued", "completed", "0", "")));
    assertThat(reply.get(0).toString()).isEqualTo("ok");
    assertThat(reply.get(3).toString()).as("seq of the one event").isEqualTo("0");
    assertThat(redis.cmd(Command.SCRIPT, "EXISTS", fresh.sha()).get(0).toInteger()).isEqualTo(1);
    assertThat(Await.result(log.latest(job)).stage()).isEqualTo("queued");
  }

  @Test
  void startFailsWhenRedisCannotBeReachedAndPingAnswersWhenItCan(Vertx vertx) {
    Await.result(log.ping());
    assertThat(log.isLive()).isTrue();
    Throwable err = Await.failure(
      RedisEventLog.start(vertx, redis.options("t-unreachable").withUrl("redis://127.0.0.1:1")));
    assertThat(err).isNotNull();
  }

  @Test
  void optionsComeFromTheEngineConfigWithTheDocumentedDefaults() {
    RedisEventLogOptions defaults = RedisEventLogOptions.from(new EngineOptions());
    assertThat(defaults.url()).isEqualTo("redis://127.0.0.1:6379");
    assertThat(defaults.keyPrefix()).isEqualTo("scan");
    assertThat(defaults.poolSize()).isEqualTo(8);
    assertThat(defaults.poolWaiters()).isEqualTo(RedisEventLogOptions.DEFAULT_POOL_WAITERS).isEqualTo(32_768);
    assertThat(defaults.reconnectInitial().toMillis()).isEqualTo(200);
    assertThat(defaults.reconnectMax().toMillis()).isEqualTo(5000);
    assertThat(defaults.ttl().toSeconds()).isEqualTo(3600);
    assertThat(defaults.idempotencyTtl().toSeconds()).isEqualTo(3600);

    RedisEventLogOptions set = RedisEventLogOptions.from(new EngineOptions(new JsonObject()
      .put("redis", new JsonObject().put("url", "redis://h:1").put("key-prefix", "p").put("pool-size", 3)
        .put("pool-waiters", 5).put("reconnect-initial-ms", 10).put("reconnect-max-ms", 20))
      .put("event-log", new JsonObject().put("ttl-seconds", 7))
      .put("api", new JsonObject().put("idempotency-ttl-seconds", 9))));
    assertThat(List.of(set.url(), set.keyPrefix())).containsExactly("redis://h:1", "p");
    assertThat(List.of(set.poolSize(), set.poolWaiters())).containsExactly(3, 5);
    assertThat(List.of(set.reconnectInitial().toMillis(), set.reconnectMax().toMillis(), set.ttl().toSeconds(),
      set.idempotencyTtl().toSeconds())).containsExactly(10L, 20L, 7L, 9L);
  }
  private static ProgressUpdate update(String stage, String status, int progress, JsonObject result) {
    return ProgressUpdate.of(stage, status, progress, result, 0);
  }

  @Test
  void aTransitionAtTheExpectedPositionAppendsItsEventsInOrderWithTheResultFirst() {
    TransitionOutcome queued = Await.result(log.transition(job, 0, List.of(update("queued", "completed", 0, null)), null,
      System.currentTimeMillis()));
    JsonObject result = new JsonObject().put("status", "completed").put("degraded", new JsonArray());
    TransitionOutcome end = Await.result(log.transition(job, 1, List.of(update("reward", "completed", 100, new JsonObject().put("r", 1)),
      update("done", "completed", 100, result)), result, System.currentTimeMillis()));

    assertThat(queued.conflict()).isFalse();
    assertThat(end.conflict()).isFalse();
    assertThat(end.appended()).extracting(ProgressEvent::seq).containsExactly(1L, 2L);
    List<ProgressEvent> all = Await.result(log.readAfter(job, EventId.ZERO));
    assertThat(all).containsExactly(queued.appended().get(0), end.appended().get(0), end.appended().get(1));
    assertThat(Await.result(log.result(job))).isEqualTo(result);
    // The state key is the newest event; the empty array survived (no cjson round trip).
    assertThat(Await.result(log.latest(job))).isEqualTo(end.appended().get(1));
    assertThat(redis.cmd(Command.GET, redis.prefix + ":state:" + job).toString()).contains("\"degraded\":[]");
    for (String key : List.of(":events:", ":state:", ":result:")) {
      assertThat(redis.cmd(Command.PTTL, redis.prefix + key + job).toLong()).as(key).isPositive();
    }
  }

  @Test
  void aTransitionAtAStalePositionChangesNothingAndAnswersTheLogWithDedupKeys() {
    Await.result(log.transition(job, 0, List.of(update("queued", "completed", 0, null)), null, 0));
    Await.result(log.transition(job, 1, List.of(update("vision", "started", 0, null)), null, 0));

    TransitionOutcome stale = Await.result(log.transition(job, 1, List.of(update("vision", "started", 0, null)),
      new JsonObject().put("x", 1), 0));

    assertThat(stale.conflict()).isTrue();
    assertThat(stale.history()).extracting(LoggedEvent::dedupKey).containsExactly("queued:completed:0", "vision:started:0");
    assertThat(stale.history()).extracting(e -> e.event().seq()).containsExactly(0L, 1L);
    assertThat(redis.cmd(Command.XLEN, redis.prefix + ":events:" + job).toLong()).isEqualTo(2);
    assertThat(Await.result(log.result(job))).as("a refused transition stores no result").isNull();
    assertThat(Await.result(log.history(job))).isEqualTo(stale.history());
  }
}
