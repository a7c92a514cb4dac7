package io.eco2.engine.scaling;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Embedded mode: every stage runs in this process, so the inputs are this process's stage signals
 * ({@link LocalStageStats}) and queue depths (one replica whose concurrency is the stages' instances ×
 * concurrency).
 */
final class LocalSignals implements SignalSource {

  private final LocalStageStats stats;
  private final Function<String, Future<Long>> depths;
  private final List<String> stages;
  private final Map<String, Integer> perReplica;

  /** @param depths a stage's depth as its transport counts it (waiting, retrying and in flight) */
  LocalSignals(LocalStageStats stats, Function<String, Future<Long>> depths, List<String> stages,
               Map<String, Integer> perReplica) {
    this.stats = stats;
    this.depths = depths;
    this.stages = List.copyOf(stages);
    this.perReplica = Map.copyOf(perReplica);
  }

  @Override
  public Future<Map<String, StageObservation>> observe() {
    List<Future<Long>> depths = new ArrayList<>();
    stages.forEach(s -> depths.add(this.depths.apply(s)));
    return Future.all(depths).map(cf -> {
      Map<String, LocalStageStats.Local> local = stats.sample(System.currentTimeMillis());
      Map<String, StageObservation> out = new LinkedHashMap<>();
      for (int i = 0; i < stages.size(); i++) {
        String s = stages.get(i);
        LocalStageStats.Local l = local.get(s);
        // depth counts waiting, retrying and in-flight work; the in-flight part is counted on its own.
        long ready = Math.max(0, cf.<Long>resultAt(i) - l.inflight());
        out.put(s, new StageObservation(l.completed(), l.busySeconds(), l.inflight(), ready, l.p50Millis(),
          l.quotaWaiters(), l.quotaWaitSeconds(), perReplica.get(s), 1));
      }
      return out;
    });
  }
}
