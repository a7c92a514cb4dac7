package io.eco2.engine.scaling;

import io.eco2.engine.metrics.PipelineMetrics;
import io.eco2.engine.transport.StageTransport;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Distributed mode: in flight, finished and service times from every live worker's report (one HGETALL),
 * ready work from the broker ({@link StageTransport#depth}, less what this process itself has in flight,
 * so it is the ready count in the api role and in the all role alike).
 */
final class RedisWorkerSignals implements SignalSource {

  private final WorkerReports reports;
  private final WorkerAggregator aggregator;
  private final StageTransport transport;
  private final PipelineMetrics metrics;
  private final List<String> stages;
  private final Map<String, Integer> perReplica;

  RedisWorkerSignals(WorkerReports reports, long staleMillis, StageTransport transport, PipelineMetrics metrics,
                     List<String> stages, Map<String, Integer> perReplica) {
    this.reports = reports;
    this.aggregator = new WorkerAggregator(staleMillis);
    this.transport = transport;
    this.metrics = metrics;
    this.stages = List.copyOf(stages);
    this.perReplica = Map.copyOf(perReplica);
  }

  @Override
  public Future<Map<String, StageObservation>> observe() {
    List<Future<Long>> depths = new ArrayList<>();
    stages.forEach(s -> depths.add(transport.depth(s)));
    return Future.all(depths).compose(cf -> reports.readAll().map(all -> {
      Map<String, Long> ready = new LinkedHashMap<>();
      for (int i = 0; i < stages.size(); i++) {
        ready.put(stages.get(i), Math.max(0, cf.<Long>resultAt(i) - metrics.inflight(stages.get(i))));
      }
      Map<String, StageObservation> out = aggregator.update(all, System.currentTimeMillis(), stages, ready, perReplica);
      List<String> dead = aggregator.dead();
      if (!dead.isEmpty()) {
        reports.remove(dead);
      }
      return out;
    }));
  }

  @Override
  public Future<Void> close() {
    return reports.close();
  }
}
