package io.eco2.engine.eventlog.redis;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Test plumbing against the real local Redis: a key prefix and connection names of the test's own, a raw
 * client to look behind the log's back, and the clean-up of every key under the prefix.
 */
final class RedisTestSupport implements AutoCloseable {

  static final String URL = "redis://127.0.0.1:6379";

  final Vertx vertx;
  final String prefix = "test-" + UUID.randomUUID();
  final Redis raw;
  private final List<RedisEventLog> logs = new ArrayList<>();

  RedisTestSupport(Vertx vertx) {
    this.vertx = vertx;
    this.raw = Redis.createClient(vertx, new RedisOptions().setConnectionString(URL).setMaxPoolSize(2));
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
    RedisEventLog log = await(RedisEventLog.start(vertx, options));
    logs.add(log);
    return log;
  }

  Response cmd(Command command, Object... args) {
    Request r = Request.cmd(command);
    for (Object a : args) {
      r.arg(String.valueOf(a));
    }
    return await(raw.send(r));
  }

  /** Ids of the server's connections whose name is exactly {@code name}. */
  List<Long> clientIds(String name) {
    List<Long> ids = new ArrayList<>();
    for (String line : cmd(Command.CLIENT, "LIST").toString().split("\n")) {
      if ((" " + line.trim() + " ").contains(" name=" + name + " ")) {
        for (String part : line.trim().split(" ")) {
          if (part.startsWith("id=")) {
            ids.add(Long.parseLong(part.substring(3)));
          }
        }
      }
    }
    return ids;
  }

  void kill(List<Long> ids) {
    for (Long id : ids) {
      cmd(Command.CLIENT, "KILL", "ID", id);
    }
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError("future failed: " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError("future did not complete: " + e, e);
    }
  }

  static Throwable failure(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      return null;
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError("future did not complete: " + e, e);
    }
  }

  /** Polls until the condition holds (test code may sleep; the main code never does). */
  static void eventually(Duration within, BooleanSupplier condition, String what) throws InterruptedException {
    long end = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + within + ": " + what);
      }
      Thread.sleep(10);
    }
  }

  /** Closes every log started here and deletes every key under the prefix (SCAN MATCH + DEL). */
  @Override
  public void close() {
    for (RedisEventLog log : logs) {
      await(log.close());
    }
    String cursor = "0";
    do {
      Response r = cmd(Command.SCAN, cursor, "MATCH", prefix + "*", "COUNT", 1000);
      cursor = r.get(0).toString();
      for (Response key : r.get(1)) {
        cmd(Command.DEL, key.toString());
      }
    } while (!"0".equals(cursor));
    await(raw.close());
  }
}
