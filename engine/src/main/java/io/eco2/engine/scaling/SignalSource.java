package io.eco2.engine.scaling;

import io.vertx.core.Future;

import java.util.Map;

/**
 * Where the autoscaler's inputs come from: this process alone (embedded mode) or every live worker's
 * report plus the broker's ready counts (distributed mode). One call per decision interval; an
 * implementation's cost must not grow with the load.
 */
public interface SignalSource {

  /** The current observation of every stage, by stage name. */
  Future<Map<String, StageObservation>> observe();

  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
