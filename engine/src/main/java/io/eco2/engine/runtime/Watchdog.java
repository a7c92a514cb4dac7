package io.eco2.engine.runtime;

import io.eco2.engine.eventlog.ActiveJobs;
import io.eco2.engine.eventlog.EventLog;
import io.eco2.engine.eventlog.JobStore;
import io.eco2.engine.job.ProgressEvent;
import io.eco2.engine.metrics.PipelineMetrics;
import io.eco2.engine.stage.StageFailure;
import io.eco2.engine.stage.StagePolicy;
import io.eco2.engine.transport.SendOptions;
import io.eco2.engine.transport.StageTransport;
import io.eco2.engine.transport.WorkItem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Every job ends: a job whose last event is older than the longest its current stage can legitimately take
 * ({@link #budget}: the stage's timeout × attempts + its longest backoffs + {@code watchdog.margin-ms}) is
 * re-driven, handed to that stage again from its last completed stage, at most {@code watchdog.max-redrives}
 * times; then it ends with one {@code error} event, code {@link #STALLED}. Whatever lost its work (an API or
 * broker that dropped a message, a crash, a bug), nothing is logged twice: the re-driven item carries the
 * checkpoint right after the last completed stage (or {@code queued}), so its transitions meet the log's
 * events there and resolve them by their dedup keys, as a twin delivery's do.
 *
 * <p>One process sweeps at a time: every process runs a watchdog, and each sweep begins by taking or renewing
 * the lease ({@link ActiveJobs#lease}, three sweep intervals long). A sweep looks at
 * {@code watchdog.batch-size} jobs at most, the ones silent longest, found in the log's set of active jobs
 * (no scan over all keys); a job looked at and found healthy is watched again from when it could next be
 * stalled. Meters: {@code pipeline_jobs_redriven_total{stage}}, {@code pipeline_jobs_stalled_total{stage}}.
 * A re-driven job's {@code degraded} list starts empty again (the log does not record which stages fell back).
 */
public final class Watchdog {

  /** The {@code error} code of a job that made no progress through its re-drives. */
  public static final String STALLED = "STALLED";

  private static final System.Logger LOG = System.getLogger(Watchdog.class.getName());

  private final Vertx vertx;
  private final WatchdogOptions options;
  private final PipelinePlan plan;
  private final EventLog log;
  private final JobStore store;
  private final ActiveJobs active;
  private final StageTransport transport;
  private final JobRecorder recorder;
  private final PipelineMetrics metrics;
  private final String holder;
  private final long shortestBudget;
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private long timer = -1;

  /** @param holder this process's name in the lease (unique among the processes sharing the log) */
  public Watchdog(Vertx vertx, WatchdogOptions options, PipelinePlan plan, EventLog log, JobStore store, ActiveJobs active,
                  StageTransport transport, JobRecorder recorder, PipelineMetrics metrics, String holder) {
    this.vertx = vertx;
    this.options = options;
    this.plan = plan;
    this.log = log;
    this.store = store;
    this.active = active;
    this.transport = transport;
    this.recorder = recorder;
    this.metrics = metrics;
    this.holder = holder;
    this.shortestBudget = plan.names().stream().mapToLong(s -> budget(plan.policy(s), options.margin()).toMillis()).min().orElse(0);
  }

  /**
   * The longest a stage can legitimately take for a job: every attempt running into its timeout, every
   * backoff at its longest (full jitter), plus {@code margin}.
   */
  public static Duration budget(StagePolicy policy, Duration margin) {
    long ms = policy.timeout().toMillis() * (policy.retries() + 1L) + margin.toMillis();
    for (int retry = 1; retry <= policy.retries(); retry++) {
      ms += policy.backoff(retry, 1.0).toMillis();
    }
    return Duration.ofMillis(ms);
  }

  public void start() {
    timer = vertx.setPeriodic(options.sweepInterval().toMillis(), id -> sweep());
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** One sweep, when this process holds (or takes) the lease; completes with the jobs looked at. */
  public Future<Integer> sweep() {
    if (!sweeping.compareAndSet(false, true)) {
      return Future.succeededFuture(0);
    }
    long now = System.currentTimeMillis();
    return active.lease(holder, options.sweepInterval().multipliedBy(3))
      .compose(held -> held ? active.watchedBefore(now - shortestBudget, options.batchSize()) : Future.succeededFuture(List.<String>of()))
      .compose(jobs -> {
        Future<Void> chain = Future.succeededFuture();
        for (String job : jobs) {
          // One job at a time: a sweep's load on the log stays one request deep.
          chain = chain.compose(v -> check(job, now).otherwise(err -> {
            LOG.log(Level.WARNING, "watchdog: job " + job + " could not be checked (looked at again next sweep): " + err.getMessage());
            return null;
          }));
        }
        return chain.map(jobs.size());
      })
      .onComplete(ar -> sweeping.set(false));
  }

  private Future<Void> check(String jobId, long now) {
    return log.history(jobId).map(JobHistory::new).compose(h -> {
      if (h.isEmpty() || h.finished()) {
        return active.unwatch(jobId);
      }
      String stage = currentStage(h);
      long budget = budget(plan.policy(stage), options.margin()).toMillis();
      long stalledAt = h.last().ts() + budget;
      if (now < stalledAt) {
        return active.watchFrom(jobId, stalledAt - shortestBudget);
      }
      return active.countRedrive(jobId).compose(n -> n > options.maxRedrives()
          ? stall(jobId, h, stage, now - h.last().ts(), n - 1)
          : redrive(jobId, h, stage))
        .compose(v -> active.watchFrom(jobId, now + budget - shortestBudget));
    });
  }

  // The stage after the last one completed (the first after queued); the last stage itself if it completed
  // without its done (so its worker logs done from its logged completion).
  private String currentStage(JobHistory h) {
    String completed = h.checkpoint().completedStage();
    if (completed == null) {
      return plan.first();
    }
    String next = plan.next(completed);
    return next == null ? completed : next;
  }

  private Future<Void> redrive(String jobId, JobHistory h, String stage) {
    return store.input(jobId).compose(input -> {
      if (input == null) {
        return stall(jobId, h, stage, System.currentTimeMillis() - h.last().ts(), 0);
      }
      ProgressEvent from = h.handOffPoint();
      WorkItem item = new WorkItem(jobId, stage, h.lastAttempt(stage), h.first().ts(), h.data(input), new JsonArray(),
        h.checkpointAfter(from));
      metrics.jobRedriven(stage);
      if (stage.equals(from.stage())) {
        // The last stage completed but its done is missing: done follows from the logged completion, as a
        // redelivered last stage would log it.
        LOG.log(Level.INFO, "watchdog: job " + jobId + " completed stage " + stage + " but not its done: logging done");
        return recorder.done(item, from, new JsonArray()).mapEmpty();
      }
      LOG.log(Level.INFO, "watchdog: job " + jobId + " silent since " + h.last().ts() + ", handed to stage " + stage
        + " again (attempt " + item.attempt() + ")");
      // A requeue: the job was accepted by this stage already and must not wait behind its backlog.
      return transport.send(stage, item, SendOptions.REQUEUE);
    });
  }

  private Future<Void> stall(String jobId, JobHistory h, String stage, long silentMs, long redrives) {
    WorkItem item = new WorkItem(jobId, stage, 0, h.first().ts(), h.data(new JsonObject()), new JsonArray(), h.checkpoint());
    StageFailure failure = new StageFailure(STALLED, "job made no progress at stage " + stage + " for " + silentMs
      + " ms, after " + redrives + " re-drive(s)", false);
    LOG.log(Level.WARNING, "watchdog: job " + jobId + " ended: " + failure.getMessage());
    return recorder.failed(item, failure).onSuccess(t -> {
      if (!t.finished()) {
        metrics.jobStalled(stage);
      }
    }).mapEmpty();
  }
}
