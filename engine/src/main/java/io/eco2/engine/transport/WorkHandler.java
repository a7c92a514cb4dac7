package io.eco2.engine.transport;

import io.vertx.core.Future;

/**
 * Processes one delivered work item. The transport acknowledges the delivery when the returned future
 * succeeds (the outcome is durable) and redelivers it when it fails.
 */
@FunctionalInterface
public interface WorkHandler {
  Future<Void> handle(WorkItem item);
}
