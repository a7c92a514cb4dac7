package io.eco2.engine.eventlog.memory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * The heap a logged event holds, estimated from its shape (64-bit JVM, compressed oops, compact strings)
 * without encoding it: what {@link InMemoryEventLog} charges against {@code event-log.max-bytes}.
 *
 * <p>The figures are the JDK's object layouts (a {@code String} is 24 bytes plus its array of 16 + one
 * byte per Latin-1 or two per other character; a {@code LinkedHashMap} entry 40 plus a table slot; a boxed
 * number 16–24). The estimate is within tens of percent of a heap dump, which is what a bound needs: the
 * benchmark reports the measured heap beside it.
 */
final class Footprint {

  /** A {@link io.eco2.engine.job.ProgressEvent} with its id, dedup key and the log's bookkeeping for it. */
  static final long EVENT_OVERHEAD = 320;
  /** A job's entry in the log: the job log object, its lists and maps, its map entry and id. */
  static final long JOB_OVERHEAD = 480;

  private static final long OBJECT = 16;
  private static final long MAP = 56 + 16;
  private static final long ENTRY = 40 + 8;
  private static final long LIST = 24 + 16;
  private static final long SLOT = 4;
  private static final long BOXED = 24;

  private Footprint() {
  }

  /** The estimated heap of a JSON value as Vert.x holds it (maps, lists, strings, boxed numbers). */
  static long of(Object value) {
    if (value == null || value instanceof Boolean) {
      return 0;
    }
    if (value instanceof String s) {
      return string(s);
    }
    if (value instanceof Number) {
      return BOXED;
    }
    if (value instanceof JsonObject o) {
      return OBJECT + map(o.getMap());
    }
    if (value instanceof JsonArray a) {
      return OBJECT + list(a.getList());
    }
    if (value instanceof Map<?, ?> m) {
      return map(m);
    }
    if (value instanceof List<?> l) {
      return list(l);
    }
    return OBJECT;
  }

  static long string(String s) {
    boolean latin1 = true;
    for (int i = 0; i < s.length() && latin1; i++) {
      latin1 = s.charAt(i) < 256;
    }
    return 24 + 16 + (long) s.length() * (latin1 ? 1 : 2);
  }

  private static long map(Map<?, ?> m) {
    long total = MAP + (long) m.size() * 2 * SLOT;
    for (Map.Entry<?, ?> e : m.entrySet()) {
      total += ENTRY + of(e.getKey()) + of(e.getValue());
    }
    return total;
  }

  private static long list(List<?> l) {
    long total = LIST + (long) l.size() * SLOT;
    for (Object o : l) {
      total += of(o);
    }
    return total;
  }
}
