package io.eco2.tests.load;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits an SSE byte stream into blocks as chunks arrive. It works on bytes, not text: a chunk boundary may
 * fall inside a multi-byte UTF-8 character (the Korean texts of the results), and decoding each chunk on its
 * own would corrupt it — which the integrity check would then report as "data that is not JSON".
 *
 * <p>Bounded: a block longer than {@link #MAX_BLOCK_BYTES} without a blank line is a protocol violation; the
 * parser reports it through {@code onOverflow} and drops what it buffered. Not thread-safe: one per stream,
 * fed from that stream's handler.
 */
public final class SseParser {

  /** Longest block accepted; the largest real frame (a {@code done} with the whole result) is a few KiB. */
  public static final int MAX_BLOCK_BYTES = 1 << 20;

  private final Consumer<SseFrame> onFrame;
  private final Runnable onOverflow;
  private Buffer pending = Buffer.buffer();
  private int scanFrom;

  public SseParser(Consumer<SseFrame> onFrame, Runnable onOverflow) {
    this.onFrame = onFrame;
    this.onOverflow = onOverflow;
  }

  /** Feeds one chunk; emits every block it completes, stamped with the current time. */
  public void feed(Buffer chunk) {
    long ms = System.currentTimeMillis();
    long nanos = System.nanoTime();
    pending.appendBuffer(chunk);
    int start = 0;
    int len = pending.length();
    // The engine writes "\n" line ends; "\r\n" is accepted too (an SSE server may use either).
    for (int i = Math.max(scanFrom, 0); i < len; i++) {
      if (pending.getByte(i) != '\n') {
        continue;
      }
      int blank = blankLineAfter(i, len);
      if (blank > 0) {
        int end = i > start && pending.getByte(i - 1) == '\r' ? i - 1 : i;
        onFrame.accept(parse(pending.getString(start, end, "UTF-8"), ms, nanos));
        start = blank;
        i = blank - 1;
      }
    }
    if (start > 0) {
      pending = pending.getBuffer(start, len);
    }
    // Re-scan the last byte next time: it may be the first '\n' of a blank line split across chunks.
    scanFrom = Math.max(0, pending.length() - 2);
    if (pending.length() > MAX_BLOCK_BYTES) {
      pending = Buffer.buffer();
      scanFrom = 0;
      onOverflow.run();
    }
  }

  // Returns the index just past a blank line that follows the '\n' at i, or -1.
  private int blankLineAfter(int i, int len) {
    int j = i + 1;
    if (j < len && pending.getByte(j) == '\r') {
      j++;
    }
    return j < len && pending.getByte(j) == '\n' ? j + 1 : -1;
  }

  /** Parses one block (the text between blank lines) following the EventSource field rules. */
  public static SseFrame parse(String block, long ms, long nanos) {
    String id = null;
    String event = null;
    String retry = null;
    String comment = null;
    StringBuilder data = null;
    for (String line : block.split("\r?\n", -1)) {
      if (line.isEmpty()) {
        continue;
      }
      if (line.charAt(0) == ':') {
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
        case "retry" -> retry = value;
        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        default -> { }
      }
    }
    return new SseFrame(id, event, data == null ? null : data.toString(), retry, comment, ms, nanos);
  }

  /** Parses a whole text at once (tests and tools): every complete block, in order. */
  public static java.util.List<SseFrame> parseAll(String text) {
    java.util.List<SseFrame> frames = new java.util.ArrayList<>();
    SseParser parser = new SseParser(frames::add, () -> { });
    parser.feed(Buffer.buffer(text.getBytes(StandardCharsets.UTF_8)));
    return frames;
  }
}
