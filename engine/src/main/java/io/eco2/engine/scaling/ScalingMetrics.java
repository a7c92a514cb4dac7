package io.eco2.engine.scaling;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The autoscaler's meters (CONTRACT §6): {@code pipeline_desired_replicas{stage}},
 * {@code pipeline_desired_workers} (the worker total KEDA should run), {@code pipeline_current_workers}
 * (workers seen reporting) and, where stages run in this process, {@code pipeline_stage_concurrency{stage}}
 * (execution slots over the stage's instances, which in-process elasticity moves). Thread-safe.
 */
final class ScalingMetrics {

  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();
  private final Map<String, AtomicLong> desired = new LinkedHashMap<>();
  private final Map<String, AtomicLong> concurrency = new LinkedHashMap<>();
  private final AtomicLong desiredWorkers = new AtomicLong();
  private final AtomicLong currentWorkers = new AtomicLong();

  ScalingMetrics(MeterRegistry registry, List<String> stages, Map<String, Integer> localConcurrency) {
    this.registry = registry;
    for (String s : stages) {
      desired.put(s, gauge("pipeline.desired.replicas", s, "The autoscaler's recommendation of worker replicas for the stage"));
    }
    localConcurrency.forEach((s, c) -> {
      AtomicLong n = gauge("pipeline.stage.concurrency", s, "Execution slots of the stage in this process (in-process elasticity)");
      n.set(c);
      concurrency.put(s, n);
    });
    meters.add(Gauge.builder("pipeline.desired.workers", desiredWorkers, AtomicLong::get).strongReference(true)
      .description("Worker replicas the autoscaler recommends (the maximum over stages)").register(registry));
    meters.add(Gauge.builder("pipeline.current.workers", currentWorkers, AtomicLong::get).strongReference(true)
      .description("Worker replicas seen running by the autoscaler").register(registry));
  }

  private AtomicLong gauge(String name, String stage, String doc) {
    AtomicLong n = new AtomicLong();
    meters.add(Gauge.builder(name, n, AtomicLong::get).tag("stage", stage).strongReference(true).description(doc).register(registry));
    return n;
  }

  void update(ScalingView view) {
    view.stages().forEach((s, v) -> {
      AtomicLong n = desired.get(s);
      if (n != null) {
        n.set(v.desiredReplicas());
      }
    });
    desiredWorkers.set(view.desiredWorkers());
    currentWorkers.set(view.currentWorkers());
  }

  void concurrency(String stage, long slots) {
    AtomicLong n = concurrency.get(stage);
    if (n != null) {
      n.set(slots);
    }
  }

  void close() {
    meters.forEach(registry::remove);
  }
}
