package io.eco2.engine.runtime;

import io.eco2.engine.eventlog.Checkpoint;
import io.eco2.engine.eventlog.LoggedEvent;
import io.eco2.engine.job.ProgressEvent;

import java.util.List;

/** A job's logged events, read when a work item's checkpoint did not match the log (or was unknown). */
final class JobHistory {

  private final List<LoggedEvent> events;

  JobHistory(List<LoggedEvent> events) {
    this.events = events;
  }

  /** Whether the job already ended ({@code done} or {@code error}). */
  boolean finished() {
    return events.stream().anyMatch(e -> e.event().isTerminal());
  }

  /** The stage's {@code completed} event, or null. */
  ProgressEvent completed(String stage) {
    for (LoggedEvent e : events) {
      if (e.event().stage().equals(stage) && ProgressEvent.COMPLETED.equals(e.event().status())) {
        return e.event();
      }
    }
    return null;
  }

  /** The event logged under {@code dedupKey}, or null. */
  ProgressEvent logged(String dedupKey) {
    for (LoggedEvent e : events) {
      if (e.dedupKey().equals(dedupKey)) {
        return e.event();
      }
    }
    return null;
  }

  /** Where the log stands: its size and the last stage completed in it. */
  Checkpoint checkpoint() {
    String completed = null;
    for (LoggedEvent e : events) {
      ProgressEvent ev = e.event();
      if (ProgressEvent.COMPLETED.equals(ev.status()) && !ProgressEvent.QUEUED.equals(ev.stage())
        && !ev.isTerminal()) {
        completed = ev.stage();
      }
    }
    return new Checkpoint(events.size(), completed);
  }
}
