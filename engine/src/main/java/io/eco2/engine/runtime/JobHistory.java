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
    return checkpointAt(events.size());
  }

  /**
   * Where the log stood right after {@code event} (one of its events): what a step found already logged
   * hands on. Not {@link #checkpoint()}: the log may have moved on since (a twin ran the next stages), and a
   * job handed on at the log's current end would have its next stage logged again there.
   */
  Checkpoint checkpointAfter(ProgressEvent event) {
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).event().id().equals(event.id())) {
        return checkpointAt(i + 1);
      }
    }
    throw new IllegalArgumentException("event " + event.id() + " is not in the log of job " + event.jobId());
  }

  private Checkpoint checkpointAt(int size) {
    String completed = null;
    for (int i = 0; i < size; i++) {
      ProgressEvent ev = events.get(i).event();
      if (ProgressEvent.COMPLETED.equals(ev.status()) && !ProgressEvent.QUEUED.equals(ev.stage())
        && !ev.isTerminal()) {
        completed = ev.stage();
      }
    }
    return new Checkpoint(size, completed);
  }
}
