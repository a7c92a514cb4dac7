package io.eco2.tests.support;

import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.stream.Collectors;

/** Small helpers for submitting probe jobs and reading their SSE frames. */
public final class Jobs {

  private Jobs() {
  }

  /** A scan request whose {@code user_input} carries probe directives. */
  public static JsonObject job(String directives) {
    return new JsonObject().put("image_url", "https://example.com/probe.jpg").put("user_input", directives);
  }

  /** The event frames of a stream (no {@code retry:} directive, no comments). */
  public static List<SseFrame> events(List<SseFrame> frames) {
    return frames.stream().filter(SseFrame::isEvent).collect(Collectors.toList());
  }

  /** Each event as {@code event/status}, e.g. {@code probe/retrying}. */
  public static List<String> steps(List<SseFrame> frames) {
    return events(frames).stream().map(f -> f.event() + "/" + f.json().getString("status")).collect(Collectors.toList());
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
}
