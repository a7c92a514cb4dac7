package io.eco2.engine.runtime;

import io.eco2.engine.eventlog.Checkpoint;
import io.eco2.engine.eventlog.EventLog;
import io.eco2.engine.eventlog.JobStore;
import io.eco2.engine.transport.SendOptions;
import io.eco2.engine.transport.StageTransport;
import io.eco2.engine.transport.WorkItem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Accepts new jobs: idempotency, the {@code queued} event, and admission into the first stage's bounded
 * backlog.
 *
 * <p>The {@code queued} event is logged before the job is handed to the first stage, so it is always the
 * job's first event. When admission refuses the job ({@link io.eco2.engine.transport.BacklogFullException})
 * its event and idempotency key are removed again: the client was never told its id.
 */
public final class JobIntake {

  private final PipelinePlan plan;
  private final String basePath;
  private final StageTransport transport;
  private final JobRecorder recorder;
  private final EventLog log;
  private final JobStore store;
  private volatile boolean open = true;

  /** @param basePath where the API surface serves jobs ({@code /api/v1/scan}): the links of the submit response */
  public JobIntake(PipelinePlan plan, String basePath, StageTransport transport, JobRecorder recorder, EventLog log, JobStore store) {
    this.plan = plan;
    this.basePath = basePath;
    this.transport = transport;
    this.recorder = recorder;
    this.log = log;
    this.store = store;
  }

  /** Submits a job without an owner (authentication off). */
  public Future<JsonObject> submit(JsonObject data, String idempotencyKey) {
    return submit(data, idempotencyKey, null);
  }

  /**
   * Submits a job with the given data.
   *
   * @param idempotencyKey null, or a key under which a repeated submit of the same owner returns the first
   *                       response (keys are per owner: two users' equal keys are two jobs)
   * @param owner null, or the user the job belongs to (recorded before the job's first event)
   * @return the submit response of CONTRACT §2
   */
  public Future<JsonObject> submit(JsonObject data, String idempotencyKey, String owner) {
    String jobId = UUID.randomUUID().toString();
    JsonObject response = new JsonObject()
      .put("job_id", jobId)
      .put("stream_url", basePath + "/" + jobId + "/events")
      .put("result_url", basePath + "/" + jobId + "/result")
      .put("status", "queued");
    if (idempotencyKey == null) {
      return admit(jobId, data, response, owner);
    }
    String key = owner == null ? idempotencyKey : scopedKey(owner, idempotencyKey);
    return store.claimIdempotencyKey(key, response).compose(first -> first != null
      ? Future.succeededFuture(first)
      : admit(jobId, data, response, owner).recover(err -> store.releaseIdempotencyKey(key)
        .transform(v -> Future.failedFuture(err))));
  }

  // The owner is URL-encoded so that it holds no ':' and "a:b" + "c" never equals "a" + "b:c".
  static String scopedKey(String owner, String key) {
    return "u:" + URLEncoder.encode(owner, StandardCharsets.UTF_8) + ":" + key;
  }

  private Future<JsonObject> admit(String jobId, JsonObject data, JsonObject response, String owner) {
    // The queued event is always a job's first: its first stage starts from that checkpoint, no read needed.
    WorkItem item = new WorkItem(jobId, plan.first(), 0, System.currentTimeMillis(), data, null, Checkpoint.QUEUED);
    Future<Void> owned = owner == null ? Future.succeededFuture() : store.putOwner(jobId, owner);
    return owned.compose(v -> recorder.queued(jobId))
      .compose(e -> transport.send(plan.first(), item, SendOptions.ADMISSION)
        .recover(err -> log.discard(jobId).transform(v -> Future.failedFuture(err))))
      .map(v -> response);
  }

  /** Whether new jobs are accepted (false once draining began). */
  public boolean isOpen() {
    return open;
  }

  /** Stops accepting jobs. */
  public void close() {
    open = false;
  }
}
