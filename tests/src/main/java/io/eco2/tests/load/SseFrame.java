package io.eco2.tests.load;

/**
 * One SSE block as the load generator received it, with its arrival time.
 *
 * @param id        the {@code id:} field, or null
 * @param event     the {@code event:} field, or null
 * @param data      the {@code data:} lines joined with {@code \n}, or null for a block without data
 * @param retry     the {@code retry:} value as written, or null
 * @param comment   the text of a {@code :} comment line (keep-alive), or null
 * @param arrivedMs epoch milliseconds when the block's last byte arrived (same clock as the engine's {@code ts}
 *                  when both run on one host)
 * @param arrivedNanos {@link System#nanoTime()} at arrival, for latencies measured on this side only
 */
public record SseFrame(String id, String event, String data, String retry, String comment, long arrivedMs,
                       long arrivedNanos) {

  /** Whether the block carries an event (EventSource dispatches only blocks with data). */
  public boolean isEvent() {
    return data != null;
  }

  /** Whether this event ends a job's stream: {@code done} or {@code error}. */
  public boolean isTerminal() {
    return "done".equals(event) || "error".equals(event);
  }
}
