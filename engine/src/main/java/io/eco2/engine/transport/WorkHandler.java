package io.eco2.engine.transport;

import io.vertx.core.Future;

/**
 * Processes one delivered work item. The transport acknowledges the delivery when the returned future
 * succeeds (the outcome is durable) and redelivers it when it fails.
 */
@FunctionalInterface
public interface WorkHandler {
  Future<Void> handle(WorkItem item);

  /**
   * As {@link #handle(WorkItem)}, told whether this message was delivered before without being acknowledged
   * (the process handling it died, lost its connection, or failed it): a handler that bounds deliveries
   * counts only these, so a first delivery costs nothing extra.
   */
  default Future<Void> handle(WorkItem item, boolean redelivered) {
    return handle(item);
  }
}
