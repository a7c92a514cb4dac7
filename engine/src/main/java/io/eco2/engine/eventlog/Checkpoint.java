package io.eco2.engine.eventlog;

/**
 * How far a job's log had come when its current work item was made: the number of events logged (so the
 * next event's seq) and the last stage whose {@code completed} event is among them.
 *
 * <p>Work items carry it from stage to stage, so a worker learns what is done without reading the log: a
 * transition is appended only if the log still holds exactly {@link #events()} events
 * ({@link EventLog#transition}), and anything else (a redelivery, a twin of the message) is resolved from
 * the log at that moment. {@link #UNKNOWN} (a message from before checkpoints existed) makes the worker
 * read the log first, as it always did. {@link #completedStage()} is what a watchdog needs to tell where a
 * stalled job stood.
 *
 * @param events events the job's log held, or -1 when unknown
 * @param completedStage the last stage completed by then, or null when none (or unknown)
 */
public record Checkpoint(long events, String completedStage) {

  /** Position not known: the log decides. */
  public static final Checkpoint UNKNOWN = new Checkpoint(-1, null);
  /** Right after the {@code queued} event, which is always a job's first. */
  public static final Checkpoint QUEUED = new Checkpoint(1, null);

  public Checkpoint {
    if (events < -1) {
      throw new IllegalArgumentException("events must be -1 (unknown) or more, got " + events);
    }
  }

  public boolean known() {
    return events >= 0;
  }

  /** The position after {@code more} further events, {@code completed} (if not null) the newest completion. */
  public Checkpoint after(int more, String completed) {
    return new Checkpoint(events + more, completed != null ? completed : completedStage);
  }
}
