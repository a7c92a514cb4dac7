package io.eco2.engine.eventlog.redis;

import io.eco2.testkit.Await;
import io.eco2.testkit.RedisScope;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The Redis event log's tests against the real local Redis: the test's {@link RedisScope} (its key prefix,
 * its own client, the clean-up of every key under the prefix), connection names of its own, and the logs it
 * started, closed before the keys are removed.
 */
final class RedisTestSupport implements AutoCloseable {

  static final String URL = RedisScope.DEFAULT_URL;

  final Vertx vertx;
  final RedisScope scope;
  final String prefix;
  final Redis raw;
  private final List<RedisEventLog> logs = new ArrayList<>();

  RedisTestSupport(Vertx vertx) {
    this.vertx = vertx;
    this.scope = new RedisScope(vertx);
    this.prefix = scope.prefix();
    this.raw = scope.client();
  }

  /** Options for an instance of this test: its prefix, fast reconnects, connections named {@code name}. */
  RedisEventLogOptions options(String name) {
    return new RedisEventLogOptions()
      .withUrl(URL)
      .withKeyPrefix(prefix)
      .withPool(4, 64)
      .withReconnect(50, 400)
      .withTtls(120, 60)
      .withClientName(name);
  }

  /** A connection name unique to this run. */
  static String uniqueName(String role) {
    return "t-" + UUID.randomUUID().toString().substring(0, 8) + "-" + role;
  }

  RedisEventLog start(RedisEventLogOptions options) {
    RedisEventLog log = Await.result(RedisEventLog.start(vertx, options), "event log started");
    logs.add(log);
    return log;
  }

  Response cmd(Command command, Object... args) {
    return scope.cmd(command, args);
  }

  /** Ids of the server's connections whose name is exactly {@code name}. */
  List<Long> clientIds(String name) {
    return scope.clientIds(name);
  }

  void kill(List<Long> ids) {
    scope.kill(ids);
  }

  /** Closes every log started here, then deletes every key under the prefix. */
  @Override
  public void close() {
    for (RedisEventLog log : logs) {
      Await.result(log.close(), "event log closed");
    }
    scope.close();
  }
}
