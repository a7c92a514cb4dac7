package io.eco2.engine.eventlog.redis;

import io.eco2.engine.eventlog.EventId;
import io.eco2.engine.job.ProgressEvent;
import io.vertx.core.Handler;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * One watched job in {@link LiveEvents}: its handlers and its delivery position.
 *
 * <p>Promises: handlers see the job's events one at a time, in id order, each id at most once (an id not
 * after the last one delivered is dropped). While the watch is behind (the live connection was lost, or it
 * was created while the connection was down) live events are held back until the catch-up read has been
 * delivered, because a live event passed first would make the gap before it look delivered. All methods
 * are thread-safe (the watch is its own lock).
 */
final class JobWatch {

  private static final System.Logger LOG = System.getLogger(JobWatch.class.getName());

  /** Where a catch-up starts, and the loss count it belongs to. */
  record Resume(EventId after, long epoch) {
  }

  final String jobId;
  private final List<Handler<ProgressEvent>> handlers = new ArrayList<>(2);
  private final List<ProgressEvent> held = new ArrayList<>();
  private EventId lastDelivered;
  private boolean behind;
  // Counts connection losses: a catch-up started before the latest loss must not end the catch-up after it.
  private long epoch;

  JobWatch(String jobId) {
    this.jobId = jobId;
  }

  synchronized void add(Handler<ProgressEvent> handler, boolean connectionDown) {
    handlers.add(handler);
    if (connectionDown) {
      behind = true;
    }
  }

  /** Removes the handler; true when none is left. */
  synchronized boolean remove(Handler<ProgressEvent> handler) {
    handlers.remove(handler);
    return handlers.isEmpty();
  }

  /** The live connection was lost: what is logged from now on arrives only through a catch-up. */
  synchronized void connectionLost() {
    behind = true;
    epoch++;
  }

  synchronized boolean isBehind() {
    return behind;
  }

  /** After the last id delivered, or from the start when none was (the log's subscribers skip known ids). */
  synchronized Resume resume() {
    return new Resume(lastDelivered == null ? EventId.ZERO : lastDelivered, epoch);
  }

  /** A live event. */
  synchronized void deliver(ProgressEvent event) {
    if (behind) {
      held.add(event);
      return;
    }
    pass(event);
  }

  /** The catch-up read started at {@code from} returned {@code missed}. */
  synchronized void caughtUp(List<ProgressEvent> missed, Resume from) {
    missed.forEach(this::pass);
    held.forEach(this::pass);
    held.clear();
    if (from.epoch() == epoch) {
      behind = false;
    }
  }

  // Called under the watch's lock, so handlers see one job's events one at a time and in order.
  private void pass(ProgressEvent event) {
    EventId id = EventId.parse(event.id());
    if (lastDelivered != null && !id.isAfter(lastDelivered)) {
      return;
    }
    lastDelivered = id;
    for (Handler<ProgressEvent> h : List.copyOf(handlers)) {
      try {
        h.handle(event);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "event handler of job " + jobId + " failed", e);
      }
    }
  }
}
