package io.eco2.tests.support;

import io.vertx.core.json.JsonObject;

/**
 * One block of an SSE stream as the client received it: an event ({@code id}, {@code event}, {@code data}),
 * a {@code retry:} directive, or a comment (such as {@code : keepalive}).
 */
public record SseFrame(String id, String event, String data, Long retry, String comment) {

  public boolean isEvent() {
    return data != null;
  }

  public boolean isComment() {
    return comment != null && data == null;
  }

  public JsonObject json() {
    return new JsonObject(data);
  }

  /** The test view of a frame the load generator's byte-level parser produced. */
  static SseFrame of(io.eco2.tests.load.SseFrame f) {
    return new SseFrame(f.id(), f.event(), f.data(), f.retry() == null ? null : Long.parseLong(f.retry().trim()), f.comment());
  }
}
