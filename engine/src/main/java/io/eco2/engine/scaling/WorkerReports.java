package io.eco2.engine.scaling;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where distributed workers leave their reports for the autoscaler: one Redis hash
 * {@code {prefix}:workers}, one field per worker id holding its latest report as JSON. A worker writes its
 * field every report interval (HSET plus PEXPIRE of the hash, so the hash disappears when every worker is
 * gone); an autoscaler reads the whole hash once per decision (HGETALL) and deletes the fields of dead
 * workers. The cost is one or two commands per second per process, whatever the load.
 *
 * <p>One connection of its own (pool of 1) so that the event log's pool never waits behind it.
 */
final class WorkerReports {

  private final Redis redis;
  private final String key;
  private final long ttlMillis;

  /**
   * @param ttl how long the hash lives without any report (long enough to outlast a slow worker)
   */
  WorkerReports(Redis redis, String prefix, Duration ttl) {
    // The process's pooled command client (the event log's): reports add no connection of their own.
    this.redis = redis;
    this.key = prefix + ":workers";
    this.ttlMillis = Math.max(1, ttl.toMillis());
  }

  String key() {
    return key;
  }

  Future<Void> publish(String workerId, JsonObject report) {
    return redis.batch(List.of(
      Request.cmd(Command.HSET).arg(key).arg(workerId).arg(report.encode()),
      Request.cmd(Command.PEXPIRE).arg(key).arg(ttlMillis))).mapEmpty();
  }

  Future<Void> remove(List<String> workerIds) {
    if (workerIds.isEmpty()) {
      return Future.succeededFuture();
    }
    Request del = Request.cmd(Command.HDEL).arg(key);
    workerIds.forEach(del::arg);
    return redis.send(del).mapEmpty();
  }

  /** Every report present, by worker id; an entry that is not valid JSON is skipped. */
  Future<Map<String, JsonObject>> readAll() {
    return redis.send(Request.cmd(Command.HGETALL).arg(key)).map(WorkerReports::parse);
  }

  static Map<String, JsonObject> parse(Response r) {
    Map<String, JsonObject> out = new LinkedHashMap<>();
    if (r == null) {
      return out;
    }
    if (!r.getKeys().isEmpty()) {
      for (String field : r.getKeys()) {
        put(out, field, r.get(field));
      }
    } else {
      // RESP2 answers a flat array: field, value, field, value, ...
      for (int i = 0; i + 1 < r.size(); i += 2) {
        put(out, r.get(i).toString(), r.get(i + 1));
      }
    }
    return out;
  }

  private static void put(Map<String, JsonObject> out, String field, Response value) {
    try {
      out.put(field, new JsonObject(value.toString()));
    } catch (RuntimeException malformed) {
      // Not ours or truncated: ignoring it is safer than failing every decision.
    }
  }

  Future<Void> close() {
    redis.close();
    return Future.succeededFuture();
  }
}
