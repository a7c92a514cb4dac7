package io.eco2.engine.scaling;

import io.eco2.engine.llm.QuotaLoad;
import io.eco2.engine.runtime.PipelinePlan;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Distributed mode, in every process that runs stage workers: publishes this process's per-stage figures
 * (executions in flight, finished, time spent, recent median, LLM quota waits, concurrency) every
 * {@code scaling.worker-report-interval-ms}, so that the autoscaler in the API role sees the in-flight work
 * of every worker, which the broker's ready count cannot show. On stop it removes its entry, so a drained
 * worker stops counting at once.
 */
public final class WorkerReporter extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(WorkerReporter.class.getName());

  private final String workerId = UUID.randomUUID().toString();
  private final PipelinePlan plan;
  private final StageLoad load;
  private final QuotaLoad quota;
  private final ScalingOptions options;
  private final Redis redis;
  private final String prefix;
  private WorkerReports reports;
  private LocalStageStats stats;
  private long timer = -1;
  private long seq;
  private boolean failing;

  /**
   * @param load the stage runtime's figures of this process
   * @param quota the LLM rate-limit gate's waits in this process
   */
  public WorkerReporter(PipelinePlan plan, StageLoad load, QuotaLoad quota, ScalingOptions options, Redis redis, String prefix) {
    this.plan = plan;
    this.load = load;
    this.quota = quota;
    this.options = options;
    this.redis = redis;
    this.prefix = prefix;
  }

  public String workerId() {
    return workerId;
  }

  @Override
  public Future<?> start() {
    Duration interval = options.workerReportInterval();
    reports = new WorkerReports(redis, prefix, interval.multipliedBy(30).plusSeconds(10));
    stats = new LocalStageStats(load, quota, plan.names(), options.llmStages(), options.window());
    report();
    timer = vertx.setPeriodic(interval.toMillis(), id -> report());
    return Future.succeededFuture();
  }

  private void report() {
    JsonObject stages = new JsonObject();
    for (Map.Entry<String, LocalStageStats.Local> e : stats.sample(System.currentTimeMillis()).entrySet()) {
      LocalStageStats.Local l = e.getValue();
      stages.put(e.getKey(), new JsonObject()
        .put("completed", l.completed()).put("busy_seconds", l.busySeconds()).put("inflight", l.inflight())
        .put("p50_ms", Double.isNaN(l.p50Millis()) ? null : l.p50Millis())
        .put("quota_waiters", l.quotaWaiters()).put("quota_wait_seconds", l.quotaWaitSeconds())
        .put("concurrency", plan.policy(e.getKey()).instances() * plan.policy(e.getKey()).concurrency()));
    }
    reports.publish(workerId, new JsonObject().put("seq", ++seq).put("stages", stages)).onComplete(ar -> {
      // Log a change of state once, not every second while Redis is away.
      if (ar.failed() != failing) {
        failing = ar.failed();
        LOG.log(failing ? System.Logger.Level.WARNING : System.Logger.Level.INFO,
          failing ? "worker report failed (the autoscaler will not see this worker): " + ar.cause() : "worker reports resumed");
      }
    });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return reports.remove(List.of(workerId)).recover(err -> Future.succeededFuture()).eventually(reports::close);
  }
}
