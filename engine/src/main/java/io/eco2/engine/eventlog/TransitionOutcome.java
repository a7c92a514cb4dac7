package io.eco2.engine.eventlog;

import io.eco2.engine.job.ProgressEvent;

import java.util.List;

/**
 * What {@link EventLog#transition} did: appended every update (the events, in order), or nothing because the
 * log did not hold the expected number of events ({@link #history()} is then the whole log, for the caller
 * to decide from).
 */
public record TransitionOutcome(List<ProgressEvent> appended, List<LoggedEvent> history) {

  public static TransitionOutcome appended(List<ProgressEvent> events) {
    return new TransitionOutcome(List.copyOf(events), null);
  }

  public static TransitionOutcome conflict(List<LoggedEvent> history) {
    return new TransitionOutcome(null, List.copyOf(history));
  }

  public boolean conflict() {
    return history != null;
  }
}
