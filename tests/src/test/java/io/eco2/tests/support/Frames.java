package io.eco2.tests.support;

import io.eco2.engine.eventlog.EventId;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reading a recorded SSE stream: its event frames, their steps ({@code stage/status}) and ids, the frames of
 * one step, and a fingerprint that compares two streams frame for frame.
 */
public final class Frames {

  private Frames() {
  }

  /** The event frames (those with data: no {@code retry:} directive, no comments). */
  public static List<SseFrame> events(List<SseFrame> frames) {
    return frames.stream().filter(SseFrame::isEvent).collect(Collectors.toList());
  }

  /** Each event as {@code event/status}, e.g. {@code probe/retrying}, for readable order assertions. */
  public static List<String> steps(List<SseFrame> frames) {
    return events(frames).stream().map(f -> f.event() + "/" + f.json().getString("status")).collect(Collectors.toList());
  }

  /** The ids of the event frames. */
  public static List<String> ids(List<SseFrame> frames) {
    return events(frames).stream().map(SseFrame::id).collect(Collectors.toList());
  }

  public static EventId eventId(SseFrame frame) {
    return EventId.parse(frame.id());
  }

  /** The event frames with the given event name and status. */
  public static List<SseFrame> frames(List<SseFrame> frames, String event, String status) {
    return events(frames).stream()
      .filter(f -> event.equals(f.event()) && status.equals(f.json().getString("status")))
      .collect(Collectors.toList());
  }

  /** The one event frame with the given event name and status; fails unless there is exactly one. */
  public static SseFrame single(List<SseFrame> frames, String event, String status) {
    List<SseFrame> found = frames(frames, event, status);
    if (found.size() != 1) {
      throw new AssertionError("expected exactly one " + event + "/" + status + " frame, got " + found.size()
        + " in " + steps(frames));
    }
    return found.get(0);
  }

  /** The last event frame. */
  public static SseFrame last(List<SseFrame> frames) {
    List<SseFrame> ev = events(frames);
    if (ev.isEmpty()) {
      throw new AssertionError("no event frames");
    }
    return ev.get(ev.size() - 1);
  }

  /** The event frames rendered as {@code id|event|data} lines: equal lists mean identical streams. */
  public static List<String> fingerprint(List<SseFrame> frames) {
    List<String> out = new ArrayList<>();
    for (SseFrame f : events(frames)) {
      out.add(f.id() + "|" + f.event() + "|" + f.data());
    }
    return out;
  }
}
