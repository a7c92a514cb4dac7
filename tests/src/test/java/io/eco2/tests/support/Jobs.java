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
