package io.eco2.engine.eventlog.redis;

import io.eco2.engine.job.ProgressEvent;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Response;

import java.util.HashMap;
import java.util.Map;

/**
 * Turns the three Redis shapes of an event into {@link ProgressEvent}: a stream entry (XRANGE), the event
 * JSON (state key and notifications, written by {@code transition.lua}).
 *
 * <p>The {@code result} field is JSON text; empty or {@code "null"} means no result.
 */
final class EventCodec {

  private EventCodec() {
  }

  /** A stream entry {@code [id, [field, value, …]]} (RESP2) or {@code [id, {field: value}]} (RESP3). */
  static ProgressEvent fromEntry(String jobId, Response entry) {
    return loggedFromEntry(jobId, entry).event();
  }

  /** A stream entry with its {@code dedup} field. */
  static io.eco2.engine.eventlog.LoggedEvent loggedFromEntry(String jobId, Response entry) {
    String id = entry.get(0).toString();
    Map<String, String> f = fields(entry.get(1));
    return new io.eco2.engine.eventlog.LoggedEvent(new ProgressEvent(id, jobId, f.getOrDefault("stage", ""),
      f.getOrDefault("status", ""), parseLong(f.get("seq")), parseLong(f.get("ts")), (int) parseLong(f.get("progress")),
      result(f.get("result"))), f.getOrDefault("dedup", ""));
  }

  /** The event JSON of the state key and of notifications; its {@code job_id} wins over none given. */
  static ProgressEvent fromJson(JsonObject json) {
    Object result = json.getValue("result");
    return new ProgressEvent(json.getString("id"), json.getString("job_id"), json.getString("stage"),
      json.getString("status"), json.getLong("seq", 0L), json.getLong("ts", 0L), json.getInteger("progress", 0),
      result instanceof JsonObject ? (JsonObject) result : null);
  }

  /** JSON text of a result, or null: empty and {@code "null"} mean none. */
  static JsonObject result(String text) {
    if (text == null || text.isEmpty() || "null".equals(text)) {
      return null;
    }
    return new JsonObject(text);
  }

  private static Map<String, String> fields(Response r) {
    Map<String, String> out = new HashMap<>();
    if (r == null) {
      return out;
    }
    if (r.isMap()) {
      for (String k : r.getKeys()) {
        Response v = r.get(k);
        out.put(k, v == null ? null : v.toString());
      }
      return out;
    }
    for (int i = 0; i + 1 < r.size(); i += 2) {
      Response v = r.get(i + 1);
      out.put(r.get(i).toString(), v == null ? null : v.toString());
    }
    return out;
  }

  private static long parseLong(String s) {
    return s == null || s.isEmpty() ? 0 : Long.parseLong(s);
  }
}
