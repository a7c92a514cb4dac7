package io.eco2.engine.transport;

import io.vertx.core.Future;

/** A running consumer of one stage's work, with at most its concurrency of deliveries unacknowledged. */
public interface StageConsumer {

  /** Deliveries handed to the handler and not yet acknowledged. */
  int inflight();

  /** Changes how many deliveries may be in flight at once (in-process elasticity). */
  void setConcurrency(int concurrency);

  /** Stops taking new deliveries; completes when every delivery in flight is acknowledged. */
  Future<Void> stop();
}
