package io.eco2.tests.support;

import io.eco2.engine.eventlog.EventId;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a whole job history must look like, whether read as SSE frames or straight from the Redis stream:
 * ids unique and strictly increasing, {@code seq} exactly 0..n-1, {@code queued} first, exactly one terminal
 * event and it is last, and no step of a stage (other than {@code retrying}) twice.
 */
public final class HistoryCheck {

  private HistoryCheck() {
  }

  /** One event, whatever it was read from. */
  public record Step(String id, String stage, String status, long seq) {
    public String name() {
      return stage + "/" + status;
    }
  }

  public static List<Step> fromFrames(List<SseFrame> frames) {
    List<Step> out = new ArrayList<>();
    for (SseFrame f : frames) {
      if (!f.isEvent() || f.id() == null) {
        continue; // STREAM_TIMEOUT frames carry no id: not job events
      }
      JsonObject d = f.json();
      out.add(new Step(f.id(), f.event(), d.getString("status"), d.getLong("seq", -1L)));
    }
    return out;
  }

  public static List<Step> fromStream(List<JsonObject> entries) {
    List<Step> out = new ArrayList<>();
    for (JsonObject e : entries) {
      out.add(new Step(e.getString("id"), e.getString("stage"), e.getString("status"), Long.parseLong(e.getString("seq", "-1"))));
    }
    return out;
  }

  /**
   * Fails unless {@code steps} is one job's whole, clean history ending with {@code terminal} ({@code done}
   * or {@code error}).
   */
  public static void assertWhole(String what, List<Step> steps, String terminal) {
    List<String> names = steps.stream().map(Step::name).toList();
    if (steps.isEmpty()) {
      throw new AssertionError(what + ": no events");
    }
    Set<String> ids = new HashSet<>();
    Set<String> once = new HashSet<>();
    EventId previous = null;
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      if (!ids.add(s.id())) {
        throw new AssertionError(what + ": id " + s.id() + " twice in " + names);
      }
      EventId id = EventId.parse(s.id());
      if (previous != null && !id.isAfter(previous)) {
        throw new AssertionError(what + ": id " + s.id() + " not after " + previous + " in " + names);
      }
      previous = id;
      if (s.seq() != i) {
        throw new AssertionError(what + ": event " + i + " (" + s.name() + ") has seq " + s.seq() + " in " + names);
      }
      if (!"retrying".equals(s.status()) && !once.add(s.name())) {
        throw new AssertionError(what + ": " + s.name() + " twice in " + names);
      }
    }
    if (!"queued".equals(steps.get(0).stage())) {
      throw new AssertionError(what + ": first event is " + names.get(0) + ", not queued: " + names);
    }
    long terminals = steps.stream().filter(s -> "done".equals(s.stage()) || "error".equals(s.stage())).count();
    if (terminals != 1 || !terminal.equals(steps.get(steps.size() - 1).stage())) {
      throw new AssertionError(what + ": expected exactly one terminal '" + terminal + "', last: " + names);
    }
  }

  /** The union of several partial reads of one stream, in id order, duplicates (same id) kept once. */
  public static List<Step> union(List<List<Step>> parts) {
    java.util.TreeMap<EventId, Step> byId = new java.util.TreeMap<>();
    for (List<Step> part : parts) {
      for (Step s : part) {
        byId.putIfAbsent(EventId.parse(s.id()), s);
      }
    }
    return new ArrayList<>(byId.values());
  }
}
