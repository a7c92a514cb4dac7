package io.eco2.engine.metrics;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Samples, every {@value #SAMPLE_MILLIS} ms, what is costly to ask per request: each stage's queue depth into
 * its {@code pipeline_stage_queue_depth} gauge, and whether the services answer ({@link #servicesUp()}), so
 * that a submit can be refused with 503 without a round trip to every service. Started and stopped by its
 * owner; a sample never blocks (each read is a future).
 */
public final class BackendSampler {

  /** How often the gauges and the services' state are refreshed. */
  public static final long SAMPLE_MILLIS = 1000;

  private final Vertx vertx;
  private final PipelineMetrics metrics;
  private final List<String> stages;
  private final Function<String, Future<Long>> depth;
  private final List<Supplier<Future<?>>> pings;
  private volatile boolean servicesUp = true;
  private long timer = -1;

  /**
   * @param depth a stage's depth as the transport counts it
   * @param pings the services whose failure makes {@link #servicesUp()} false (event log, transport)
   */
  public BackendSampler(Vertx vertx, PipelineMetrics metrics, List<String> stages, Function<String, Future<Long>> depth,
                        List<Supplier<Future<?>>> pings) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.stages = List.copyOf(stages);
    this.depth = depth;
    this.pings = List.copyOf(pings);
  }

  public void start() {
    timer = vertx.setPeriodic(SAMPLE_MILLIS, id -> sample());
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** Whether every service answered at the last sample (true before the first). */
  public boolean servicesUp() {
    return servicesUp;
  }

  private void sample() {
    for (String s : stages) {
      depth.apply(s).onSuccess(d -> metrics.queueDepth(s, d));
    }
    Future.all(pings.stream().<Future<?>>map(Supplier::get).toList()).onComplete(ar -> servicesUp = ar.succeeded());
  }
}
