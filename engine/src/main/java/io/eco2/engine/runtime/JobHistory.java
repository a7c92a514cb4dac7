package io.eco2.engine.runtime;

import io.eco2.engine.job.ProgressEvent;

import java.util.List;

/** A job's logged events, read to make a repeated delivery idempotent. */
final class JobHistory {

  private final List<ProgressEvent> events;

  JobHistory(List<ProgressEvent> events) {
    this.events = events;
  }

  /** Whether the job already ended ({@code done} or {@code error}). */
  boolean finished() {
    return events.stream().anyMatch(ProgressEvent::isTerminal);
  }

  /** The stage's {@code completed} event, or null. */
  ProgressEvent completed(String stage) {
    for (ProgressEvent e : events) {
      if (e.stage().equals(stage) && ProgressEvent.COMPLETED.equals(e.status())) {
        return e;
      }
    }
    return null;
  }
}
