package io.eco2.engine.eventlog;

import java.util.Objects;

/**
 * An event-log id in Redis Stream form, {@code <milliseconds>-<sequence>}, ordered as Redis orders them.
 *
 * <p>Both the in-memory log and Redis Streams issue ids of this form, so a client's {@code Last-Event-ID}
 * means the same thing in either mode.
 */
public record EventId(long millis, long sequence) implements Comparable<EventId> {

  /** The id before every real id: reading after it reads everything. */
  public static final EventId ZERO = new EventId(0, 0);

  public EventId {
    if (millis < 0 || sequence < 0) {
      throw new IllegalArgumentException("event id parts must not be negative");
    }
  }

  /**
   * Parses {@code <ms>-<seq>} (or {@code <ms>}, meaning sequence 0).
   *
   * @throws IllegalArgumentException naming the text when it is not an event id
   */
  public static EventId parse(String text) {
    Objects.requireNonNull(text, "text");
    String s = text.trim();
    int dash = s.indexOf('-');
    try {
      if (dash < 0) {
        return new EventId(Long.parseLong(s), 0);
      }
      return new EventId(Long.parseLong(s.substring(0, dash)), Long.parseLong(s.substring(dash + 1)));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not an event id: '" + text + "' (expected <milliseconds>-<sequence>)");
    }
  }

  /**
   * Parses an id a client sent ({@code Last-Event-ID}, {@code last_event_id}): exactly {@code <ms>-<n>}, two
   * runs of ASCII digits that each fit a signed 64-bit integer; no sign, no space, no shorthand.
   *
   * @throws IllegalArgumentException saying what is wrong with the text
   */
  public static EventId parseStrict(String text) {
    Objects.requireNonNull(text, "text");
    int dash = text.indexOf('-');
    if (dash <= 0 || dash == text.length() - 1 || !digits(text, 0, dash) || !digits(text, dash + 1, text.length())) {
      throw new IllegalArgumentException("not an event id: '" + printable(text) + "' (expected <milliseconds>-<sequence>, digits only)");
    }
    try {
      return new EventId(Long.parseLong(text.substring(0, dash)), Long.parseLong(text.substring(dash + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("event id out of range: '" + printable(text) + "' (each part at most " + Long.MAX_VALUE + ")");
    }
  }

  private static boolean digits(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return to > from;
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 64; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return b.toString();
  }

  /** The smallest id greater than {@code previous} at time {@code nowMillis}. */
  public static EventId next(EventId previous, long nowMillis) {
    if (previous == null || nowMillis > previous.millis) {
      return new EventId(nowMillis, 0);
    }
    return new EventId(previous.millis, previous.sequence + 1);
  }

  @Override
  public int compareTo(EventId o) {
    int c = Long.compare(millis, o.millis);
    return c != 0 ? c : Long.compare(sequence, o.sequence);
  }

  public boolean isAfter(EventId o) {
    return compareTo(o) > 0;
  }

  @Override
  public String toString() {
    return millis + "-" + sequence;
  }
}
