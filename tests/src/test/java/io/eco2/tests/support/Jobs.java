package io.eco2.tests.support;

import io.vertx.core.json.JsonObject;

import java.util.List;

/** Submit bodies for probe jobs (their frames are read with {@link Frames}). */
public final class Jobs {

  private Jobs() {
  }

  /** A scan request whose {@code user_input} carries probe directives. */
  public static JsonObject job(String directives) {
    return new JsonObject().put("image_url", "https://example.com/probe.jpg").put("user_input", directives);
  }

  /** @deprecated use {@link Frames#events} */
  @Deprecated(forRemoval = true)
  public static List<SseFrame> events(List<SseFrame> frames) {
    return Frames.events(frames);
  }

  /** @deprecated use {@link Frames#steps} */
  @Deprecated(forRemoval = true)
  public static List<String> steps(List<SseFrame> frames) {
    return Frames.steps(frames);
  }

  /** @deprecated use {@link Frames#frames} */
  @Deprecated(forRemoval = true)
  public static List<SseFrame> frames(List<SseFrame> frames, String event, String status) {
    return Frames.frames(frames, event, status);
  }

  /** @deprecated use {@link Frames#single} */
  @Deprecated(forRemoval = true)
  public static SseFrame single(List<SseFrame> frames, String event, String status) {
    return Frames.single(frames, event, status);
  }

  /** @deprecated use {@link Frames#last} */
  @Deprecated(forRemoval = true)
  public static SseFrame last(List<SseFrame> frames) {
    return Frames.last(frames);
  }

  /** Whether a job event frame ({@code done} or {@code error} with an id) ended the job in these frames. */
  public static boolean terminalSeen(List<SseFrame> frames) {
    return frames.stream().anyMatch(f -> f.isEvent() && f.id() != null && ("done".equals(f.event()) || "error".equals(f.event())));
  }

  /** The id of the last job event frame, or null when there is none (what a client resumes from). */
  public static String lastEventId(List<SseFrame> frames) {
    String last = null;
    for (SseFrame f : frames) {
      if (f.isEvent() && f.id() != null) {
        last = f.id();
      }
    }
    return last;
  }
}
