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

  /** Parses one block (the text between blank lines). */
  static SseFrame parse(String block) {
    String id = null;
    String event = null;
    StringBuilder data = null;
    Long retry = null;
    String comment = null;
    for (String line : block.split("\n", -1)) {
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith(":")) {
        comment = line.substring(1).trim();
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (field) {
        case "id" -> id = value;
        case "event" -> event = value;
        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        case "retry" -> retry = Long.parseLong(value.trim());
        default -> { }
      }
    }
    return new SseFrame(id, event, data == null ? null : data.toString(), retry, comment);
  }
}
