package io.eco2.engine.runtime;

import io.eco2.engine.transport.WorkItem;
import io.vertx.core.Future;

/**
 * Counts the deliveries of one attempt (job, stage, attempt) that came back unacknowledged, over every
 * worker process: what bounds a poison message that kills each process handling it, since classic RabbitMQ
 * queues keep no delivery count of their own.
 *
 * <p>Only redeliveries are counted (a first delivery costs nothing); the count expires with the job's events.
 */
public interface DeliveryCounter {

  /**
   * Counts one redelivery of {@code item}'s attempt.
   *
   * @return the deliveries of that attempt so far, this one and the first included (so at least 2)
   */
  Future<Long> redelivered(WorkItem item);
}
