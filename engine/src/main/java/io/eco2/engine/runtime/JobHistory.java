package io.eco2.engine.runtime;

import io.eco2.engine.eventlog.Checkpoint;
import io.eco2.engine.eventlog.LoggedEvent;
import io.eco2.engine.job.ProgressEvent;
import io.vertx.core.json.JsonObject;

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

  boolean isEmpty() {
    return events.isEmpty();
  }

  /** The oldest event, {@code queued} (the log must not be empty). */
  ProgressEvent first() {
    return events.get(0).event();
  }

  /** The newest event (the log must not be empty). */
  ProgressEvent last() {
    return events.get(events.size() - 1).event();
  }

  /**
   * What the job is to be handed on from: the newest stage {@code completed} event, else its first event
   * ({@code queued}); the log must not be empty.
   */
  ProgressEvent handOffPoint() {
    for (int i = events.size() - 1; i >= 0; i--) {
      ProgressEvent ev = events.get(i).event();
      if (ProgressEvent.COMPLETED.equals(ev.status()) && !ev.isTerminal() && !ProgressEvent.QUEUED.equals(ev.stage())) {
        return ev;
      }
    }
    return events.get(0).event();
  }

  /** The highest retry the log announced for {@code stage} ({@code retrying} events), 0 when none. */
  int lastAttempt(String stage) {
    String prefix = stage + ":" + ProgressEvent.RETRYING + ":";
    int attempt = 0;
    for (LoggedEvent e : events) {
      if (e.dedupKey().startsWith(prefix)) {
        try {
          attempt = Math.max(attempt, Integer.parseInt(e.dedupKey().substring(prefix.length())));
        } catch (NumberFormatException ignored) {
          // not a key this engine wrote: no attempt to learn from it
        }
      }
    }
    return attempt;
  }

  /** The job's data as its next stage gets it: {@code input} with each completed stage's output merged in order. */
  JsonObject data(JsonObject input) {
    JsonObject data = input.copy();
    for (LoggedEvent e : events) {
      ProgressEvent ev = e.event();
      if (ProgressEvent.COMPLETED.equals(ev.status()) && !ev.isTerminal() && !ProgressEvent.QUEUED.equals(ev.stage())
        && ev.result() != null) {
        data.mergeIn(ev.result());
      }
    }
    return data;
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
