package io.eco2.testkit;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One test's share of the real local Redis ({@link #DEFAULT_URL}): a key prefix of its own (other tests and
 * other engineers' runs share the server), a client of the test's own to look behind the tested code's back,
 * and, on {@link #close()}, the deletion of every key under the prefix.
 */
public final class RedisScope implements AutoCloseable {

  public static final String DEFAULT_URL = "redis://127.0.0.1:6379";

  private final String prefix;
  private final Redis client;

  /** A scope with a fresh random prefix. */
  public RedisScope(Vertx vertx) {
    this(vertx, randomPrefix());
  }

  public RedisScope(Vertx vertx, String prefix) {
    this.prefix = prefix;
    this.client = Redis.createClient(vertx, new RedisOptions().setConnectionString(DEFAULT_URL).setMaxPoolSize(4));
  }

  /** A prefix unique to this run, also usable as a RabbitMQ queue prefix. */
  public static String randomPrefix() {
    return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  public String prefix() {
    return prefix;
  }

  public String url() {
    return DEFAULT_URL;
  }

  /** The test's own client (not one of the tested code's connections). */
  public Redis client() {
    return client;
  }

  /** Sends one command from the test's own client. */
  public Response cmd(String command, Object... args) {
    return cmd(Command.create(command), args);
  }

  public Response cmd(Command command, Object... args) {
    Request req = Request.cmd(command);
    for (Object a : args) {
      req.arg(String.valueOf(a));
    }
    return Await.result(client.send(req), "redis " + command);
  }

  /** Every key under the prefix ({@code SCAN MATCH prefix*}). */
  public List<String> keys() {
    List<String> keys = new ArrayList<>();
    String cursor = "0";
    do {
      Response r = cmd(Command.SCAN, cursor, "MATCH", prefix + "*", "COUNT", 1000);
      cursor = r.get(0).toString();
      for (Response k : r.get(1)) {
        keys.add(k.toString());
      }
    } while (!"0".equals(cursor));
    return keys;
  }

  /** {@code CLIENT LIST}, one map of fields per connection. */
  public List<Map<String, String>> clientList() {
    List<Map<String, String>> out = new ArrayList<>();
    for (String line : cmd(Command.CLIENT, "LIST").toString().split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      Map<String, String> fields = new LinkedHashMap<>();
      for (String kv : line.trim().split(" ")) {
        int eq = kv.indexOf('=');
        if (eq > 0) {
          fields.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
      }
      out.add(fields);
    }
    return out;
  }

  /** Ids of the server's connections whose name is exactly {@code name}. */
  public List<Long> clientIds(String name) {
    List<Long> ids = new ArrayList<>();
    for (Map<String, String> c : clientList()) {
      if (name.equals(c.get("name"))) {
        ids.add(Long.parseLong(c.get("id")));
      }
    }
    return ids;
  }

  /** Kills ({@code CLIENT KILL ID}) the given connections; returns how many the server killed. */
  public int kill(List<Long> ids) {
    int n = 0;
    for (Long id : ids) {
      n += cmd(Command.CLIENT, "KILL", "ID", id).toInteger();
    }
    return n;
  }

  /** A field of an {@code INFO} section, e.g. {@code info("stats", "total_commands_processed")}. */
  public long info(String section, String field) {
    for (String line : cmd(Command.INFO, section).toString().split("\r?\n")) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1).trim());
      }
    }
    throw new AssertionError("INFO " + section + " has no " + field);
  }

  /** Deletes every key under the prefix, then closes the client. */
  @Override
  public void close() {
    try {
      List<String> keys = keys();
      for (int i = 0; i < keys.size(); i += 500) {
        cmd(Command.DEL, keys.subList(i, Math.min(keys.size(), i + 500)).toArray());
      }
    } catch (RuntimeException | AssertionError e) {
      System.err.println("RedisScope: clean-up of " + prefix + "* failed: " + e);
    } finally {
      client.close();
    }
  }
}
