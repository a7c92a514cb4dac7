package io.eco2.engine.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * How a work item is handed to a stage.
 *
 * <p>Defaults: no delay, not an admission. An <em>admission</em> (a newly submitted job) fails at once with
 * {@link BacklogFullException} when the stage's backlog is full. Any other send waits until the backlog has
 * room, which is how a busy stage slows the stage before it. A delayed send (a retry) waits out its delay
 * without holding a consumer slot. A <em>requeue</em> puts back work this stage already accepted (an attempt
 * handed over at shutdown): it never waits for room, since the work is already counted in the backlog.
 */
public final class SendOptions {

  public static final SendOptions DEFAULT = new SendOptions(Duration.ZERO, false, false);
  public static final SendOptions ADMISSION = new SendOptions(Duration.ZERO, true, false);
  public static final SendOptions REQUEUE = new SendOptions(Duration.ZERO, false, true);

  private final Duration delay;
  private final boolean admission;
  private final boolean requeue;

  private SendOptions(Duration delay, boolean admission, boolean requeue) {
    this.delay = Objects.requireNonNull(delay);
    this.admission = admission;
    this.requeue = requeue;
  }

  public static SendOptions delayed(Duration delay) {
    return new SendOptions(delay, false, false);
  }

  /** Whether the work is put back at its own stage without waiting for room. */
  public boolean requeue() {
    return requeue;
  }

  public Duration delay() {
    return delay;
  }

  public boolean admission() {
    return admission;
  }
}
