package io.eco2.engine.metrics;

import io.eco2.engine.scaling.StageLoad;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's own meters, named as CONTRACT §6 (Micrometer names; the Prometheus registry renders
 * {@code pipeline.stage.duration} as {@code pipeline_stage_duration_seconds} and so on).
 *
 * <p>Histograms publish percentile buckets so that {@code histogram_quantile} works on them. Thread-safe.
 *
 * <p>As the stage runtime's record of executions it is also the autoscaler's {@link StageLoad}, read from
 * the meters it holds, not looked up by name.
 */
public final class PipelineMetrics implements StageLoad {

  public static final String OUTCOME_COMPLETED = "completed";
  public static final String OUTCOME_DEGRADED = "degraded";
  public static final String OUTCOME_FAILED = "failed";

  private final MeterRegistry registry;
  private final AtomicInteger sseConnections = new AtomicInteger();
  private final Map<String, AtomicInteger> inflight = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> queueDepth = new ConcurrentHashMap<>();
  // stage -> outcome -> its pipeline.stage.duration timer
  private final Map<String, Map<String, Timer>> durations = new ConcurrentHashMap<>();
  private final Timer jobDuration;

  public PipelineMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("scan.sse.connections.active", sseConnections, AtomicInteger::get)
      .description("Open SSE streams on this instance").register(registry);
    this.jobDuration = Timer.builder("pipeline.job.duration")
      .description("Submit to terminal event")
      .publishPercentileHistogram()
      .minimumExpectedValue(Duration.ofMillis(10))
      .maximumExpectedValue(Duration.ofMinutes(5))
      .register(registry);
    for (String outcome : new String[] {OUTCOME_COMPLETED, OUTCOME_DEGRADED, OUTCOME_FAILED}) {
      jobs(outcome);
    }
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Registers a stage's per-stage meters up front so they appear at zero before any work. */
  public void registerStage(String stage) {
    inflight.computeIfAbsent(stage, s -> {
      AtomicInteger n = new AtomicInteger();
      Gauge.builder("pipeline.stage.inflight", n, AtomicInteger::get).tag("stage", s)
        .description("Stage executions in progress on this instance").register(registry);
      return n;
    });
    queueDepth.computeIfAbsent(stage, s -> {
      AtomicLong n = new AtomicLong();
      Gauge.builder("pipeline.stage.queue.depth", n, AtomicLong::get).tag("stage", s)
        .description("Jobs waiting for or in flight at the stage").register(registry);
      return n;
    });
    retries(stage);
    redriven(stage);
    stalled(stage);
  }

  public void sseOpened() {
    sseConnections.incrementAndGet();
  }

  public void sseClosed() {
    sseConnections.decrementAndGet();
  }

  public int sseConnections() {
    return sseConnections.get();
  }

  public void inflight(String stage, int delta) {
    AtomicInteger n = inflight.get(stage);
    if (n != null) {
      n.addAndGet(delta);
    }
  }

  public int inflight(String stage) {
    AtomicInteger n = inflight.get(stage);
    return n == null ? 0 : n.get();
  }

  public void queueDepth(String stage, long depth) {
    AtomicLong n = queueDepth.get(stage);
    if (n != null) {
      n.set(depth);
    }
  }

  public void stageDuration(String stage, String outcome, long nanos) {
    durations.computeIfAbsent(stage, s -> new ConcurrentHashMap<>())
      .computeIfAbsent(outcome, o -> Timer.builder("pipeline.stage.duration").tag("stage", stage).tag("outcome", o)
        .description("Stage execution time")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(2))
        .register(registry))
      .record(Duration.ofNanos(nanos));
  }

  /** Every outcome's executions of {@code stage} together; buckets summed over the outcomes. */
  @Override
  public Figures figures(String stage) {
    long completed = 0;
    double busy = 0;
    double[] bounds = new double[0];
    double[] cumulative = new double[0];
    for (Timer t : durations.getOrDefault(stage, Map.of()).values()) {
      HistogramSnapshot snap = t.takeSnapshot();
      completed += snap.count();
      busy += snap.total(TimeUnit.NANOSECONDS) / 1e9;
      CountAtBucket[] counts = snap.histogramCounts();
      if (bounds.length == 0) {
        bounds = new double[counts.length];
        cumulative = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
          bounds[i] = counts[i].bucket(TimeUnit.MILLISECONDS);
        }
      }
      for (int i = 0; i < Math.min(counts.length, cumulative.length); i++) {
        cumulative[i] += counts[i].count();
      }
    }
    return new Figures(completed, busy, inflight(stage), bounds, cumulative);
  }

  public void retried(String stage) {
    retries(stage).increment();
  }

  /** The watchdog handed a stalled job to {@code stage} again. */
  public void jobRedriven(String stage) {
    redriven(stage).increment();
  }

  /** The watchdog ended a job that stalled at {@code stage} with {@code STALLED}. */
  public void jobStalled(String stage) {
    stalled(stage).increment();
  }

  public void jobEnded(String outcome, Duration duration) {
    jobs(outcome).increment();
    jobDuration.record(duration);
  }

  private Counter retries(String stage) {
    return Counter.builder("pipeline.stage.retries").tag("stage", stage)
      .description("Retries scheduled").register(registry);
  }

  private Counter redriven(String stage) {
    return Counter.builder("pipeline.jobs.redriven").tag("stage", stage)
      .description("Stalled jobs the watchdog handed to the stage again").register(registry);
  }

  private Counter stalled(String stage) {
    return Counter.builder("pipeline.jobs.stalled").tag("stage", stage)
      .description("Jobs the watchdog ended with STALLED, by the stage they stalled at").register(registry);
  }

  private Counter jobs(String outcome) {
    return Counter.builder("pipeline.jobs").tag("outcome", outcome)
      .description("Jobs ended, by outcome").register(registry);
  }
}
