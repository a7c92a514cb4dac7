package io.eco2.tests.load;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks one job's SSE stream against the contract's ordering rules (CONTRACT §2, §8) frame by frame, and
 * keeps what the load generator needs from it: which stages completed, the terminal frame, and the time each
 * stage spent (from the engine's {@code ts}). Comments and {@code retry:} blocks are not events and are
 * ignored. One instance per stream; not thread-safe (a stream's frames arrive on one context).
 */
public final class StreamChecker {

  /** The kinds of integrity violation, as named in the summary. */
  public enum Violation {
    /** an event id seen before on this stream */
    DUPLICATE_ID,
    /** an event id not greater than the previous one (or not of the {@code <ms>-<n>} form) */
    ID_NOT_INCREASING,
    /** a {@code seq} not greater than the previous one */
    SEQ_NOT_INCREASING,
    /** a {@code progress} below the previous one */
    PROGRESS_DECREASED,
    /** the stream ended without a {@code done} or {@code error} frame */
    MISSING_TERMINAL,
    /** an event after the terminal frame */
    FRAME_AFTER_TERMINAL,
    /** {@code data} that is not a JSON object */
    NOT_JSON
  }

  private final List<String> stages;
  private final Map<Violation, Integer> violations = new EnumMap<>(Violation.class);
  private final Set<String> ids = new HashSet<>();
  private final Set<String> completedStages = new HashSet<>();
  private final Map<String, Long> startedTs = new HashMap<>();
  private long stageMillis;
  private long[] lastId;
  private Long lastSeq;
  private int lastProgress = -1;
  private SseFrame terminal;
  private JsonObject terminalData;
  private SseFrame firstEvent;
  private int events;

  /** @param stages the pipeline's stages, in order (the Eco² four unless the engine runs others) */
  public StreamChecker(List<String> stages) {
    this.stages = List.copyOf(stages);
  }

  /**
   * Checks one frame (any block: non-events are skipped) and returns its data, or null when the frame is not
   * an event, comes after the terminal frame, or its data is not a JSON object.
   */
  public JsonObject accept(SseFrame frame) {
    if (!frame.isEvent()) {
      return null;
    }
    events++;
    if (firstEvent == null) {
      firstEvent = frame;
    }
    if (terminal != null) {
      add(Violation.FRAME_AFTER_TERMINAL);
      return null;
    }
    JsonObject data;
    try {
      Object parsed = io.vertx.core.json.Json.decodeValue(frame.data());
      if (!(parsed instanceof JsonObject obj)) {
        add(Violation.NOT_JSON);
        return null;
      }
      data = obj;
    } catch (DecodeException e) {
      add(Violation.NOT_JSON);
      return null;
    }
    checkId(frame.id());
    checkOrder(data);
    String status = data.getString("status");
    String stage = frame.event();
    if (stages.contains(stage)) {
      Long ts = data.getLong("ts");
      if ("started".equals(status) && ts != null) {
        startedTs.putIfAbsent(stage, ts);
      } else if ("completed".equals(status)) {
        completedStages.add(stage);
        Long began = startedTs.get(stage);
        if (ts != null && began != null) {
          stageMillis += Math.max(0, ts - began);
        }
      }
    }
    if (frame.isTerminal()) {
      terminal = frame;
      terminalData = data;
    }
    return data;
  }

  // A STREAM_TIMEOUT frame has no id (CONTRACT §8): only frames that carry one are ordered by it.
  private void checkId(String id) {
    if (id == null) {
      return;
    }
    if (!ids.add(id)) {
      add(Violation.DUPLICATE_ID);
      return;
    }
    long[] parsed = parseId(id);
    if (parsed == null || (lastId != null && compare(parsed, lastId) <= 0)) {
      add(Violation.ID_NOT_INCREASING);
    }
    if (parsed != null) {
      lastId = parsed;
    }
  }

  private void checkOrder(JsonObject data) {
    Object seqValue = data.getValue("seq");
    if (seqValue instanceof Number n) {
      long seq = n.longValue();
      if (lastSeq != null && seq <= lastSeq) {
        add(Violation.SEQ_NOT_INCREASING);
      }
      lastSeq = seq;
    }
    Object progressValue = data.getValue("progress");
    if (progressValue instanceof Number n) {
      int progress = n.intValue();
      if (progress < lastProgress) {
        add(Violation.PROGRESS_DECREASED);
      }
      lastProgress = Math.max(lastProgress, progress);
    }
  }

  /** Called when the stream ended: records a missing terminal frame. */
  public void streamEnded() {
    if (terminal == null) {
      add(Violation.MISSING_TERMINAL);
    }
  }

  static long[] parseId(String id) {
    int dash = id.indexOf('-');
    if (dash <= 0 || dash == id.length() - 1) {
      return null;
    }
    try {
      return new long[] {Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1))};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static int compare(long[] a, long[] b) {
    int c = Long.compare(a[0], b[0]);
    return c != 0 ? c : Long.compare(a[1], b[1]);
  }

  private void add(Violation v) {
    violations.merge(v, 1, Integer::sum);
  }

  /** Violations found so far, by kind (only kinds that occurred). */
  public Map<Violation, Integer> violations() {
    return Map.copyOf(violations);
  }

  /** Whether every stage of the pipeline sent a {@code completed} frame. */
  public boolean allStagesCompleted() {
    return completedStages.containsAll(stages);
  }

  /** The terminal frame ({@code done} / {@code error}), or null. */
  public SseFrame terminal() {
    return terminal;
  }

  /** The terminal frame's data, or null. */
  public JsonObject terminalData() {
    return terminalData;
  }

  /** The terminal frame's error code ({@code STREAM_TIMEOUT}, a stage's code), or null. */
  public String terminalCode() {
    if (terminalData == null || !(terminalData.getValue("result") instanceof JsonObject r)) {
      return null;
    }
    return r.getString("code");
  }

  /** The first event frame, or null. */
  public SseFrame firstEvent() {
    return firstEvent;
  }

  /** Event frames seen. */
  public int events() {
    return events;
  }

  /**
   * The time the job spent inside its stages (each stage's {@code completed.ts - started.ts}, summed): with
   * the LLM stages dominating, this is the provider-bound lower bound of the job's end-to-end latency.
   * -1 when not every stage was seen starting and completing.
   */
  public long stageMillis() {
    return allStagesCompleted() && startedTs.keySet().containsAll(stages) ? stageMillis : -1;
  }
}
