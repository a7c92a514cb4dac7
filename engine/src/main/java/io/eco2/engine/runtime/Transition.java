package io.eco2.engine.runtime;

import io.eco2.engine.eventlog.Checkpoint;
import io.eco2.engine.job.ProgressEvent;

import java.util.List;

/**
 * A state transition of a job as the log holds it after {@link JobRecorder} wrote it.
 *
 * @param events the transition's events, in order: appended now, or found already logged (a redelivery)
 * @param at the log's position after them, to hand on with the job
 * @param history the log as read when the item's checkpoint did not match it, else null
 * @param finished the job had already ended: nothing was logged, the delivery is a leftover to drop
 */
record Transition(List<ProgressEvent> events, Checkpoint at, JobHistory history, boolean finished) {

  static Transition ended(JobHistory history) {
    return new Transition(List.of(), history.checkpoint(), history, true);
  }

  /** The first event (the one a single-update transition is about). */
  ProgressEvent event() {
    return events.get(0);
  }
}
