package io.eco2.engine.runtime;

import io.eco2.engine.eventlog.Checkpoint;
import io.eco2.engine.eventlog.EventLog;
import io.eco2.engine.eventlog.JobStore;
import io.eco2.engine.transport.SendOptions;
import io.eco2.engine.transport.StageTransport;
import io.eco2.engine.transport.WorkItem;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/**
 * Accepts new jobs: idempotency, the job's input, the {@code queued} event, and admission into the first
 * stage's bounded backlog.
 *
 * <p>The {@code queued} event is logged before the job is handed to the first stage, so it is always the
 * job's first event. When admission refuses the job ({@link io.eco2.engine.transport.BacklogFullException})
 * its event and idempotency key are removed again: the client was never told its id.
 *
 * <p>Crash-safe with an idempotency key: the key's {@link SubmitRecord} holds the job id and the request and
 * stays {@code pending} until the transport confirmed the first stage's message. A replay that finds it
 * pending waits for it to be confirmed, at most until it is older than the confirm timeout; then it admits
 * the same job id again (owner, input, {@code queued} are idempotent, and a second first-stage message is a
 * twin the stages already tolerate), so an API that died anywhere in submit leaves no job that never ends.
 * A job submitted without a key that its API dropped half-way is the watchdog's.
 */
public final class JobIntake {

  /** How often a replay looks again at a pending record that is younger than the confirm timeout. */
  private static final long PENDING_POLL_MILLIS = 50;

  private final Vertx vertx;
  private final PipelinePlan plan;
  private final String basePath;
  private final StageTransport transport;
  private final JobRecorder recorder;
  private final EventLog log;
  private final JobStore store;
  private final long confirmTimeoutMillis;
  private volatile boolean open = true;

  /**
   * @param basePath where the API surface serves jobs ({@code /api/v1/scan}): the links of the submit response
   * @param confirmTimeout how long a pending submit may take before a replay admits its job again
   */
  public JobIntake(Vertx vertx, PipelinePlan plan, String basePath, StageTransport transport, JobRecorder recorder,
                   EventLog log, JobStore store, Duration confirmTimeout) {
    this.vertx = vertx;
    this.plan = plan;
    this.basePath = basePath;
    this.transport = transport;
    this.recorder = recorder;
    this.log = log;
    this.store = store;
    this.confirmTimeoutMillis = confirmTimeout.toMillis();
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
      return admit(jobId, data, owner, System.currentTimeMillis())
        .recover(err -> log.discard(jobId).transform(v -> Future.failedFuture(err)))
        .map(response);
    }
    String key = owner == null ? idempotencyKey : scopedKey(owner, idempotencyKey);
    long now = System.currentTimeMillis();
    return claim(key, SubmitRecord.pending(response, data, now), owner, now + confirmTimeoutMillis);
  }

  // The owner is URL-encoded so that it holds no ':' and "a:b" + "c" never equals "a" + "b:c".
  static String scopedKey(String owner, String key) {
    return "u:" + URLEncoder.encode(owner, StandardCharsets.UTF_8) + ":" + key;
  }

  // Claims the key for this submit, or answers what the key holds: the first response once confirmed, the
  // same job admitted again once its pending record is older than the confirm timeout, else (a first submit
  // still on its way) the same again a little later, so that no replay answers before its job exists.
  private Future<JsonObject> claim(String key, SubmitRecord mine, String owner, long waitUntil) {
    return store.claimIdempotencyKey(key, mine.toJson()).compose(held -> {
      if (held == null) {
        SubmitFaults.reached(SubmitFaults.CLAIMED);
        return admitClaimed(key, mine, owner);
      }
      SubmitRecord first = SubmitRecord.fromJson(held);
      long now = System.currentTimeMillis();
      if (!first.pending()) {
        return Future.succeededFuture(first.response());
      }
      if (now - first.since() >= confirmTimeoutMillis) {
        return readmit(key, first, owner, now);
      }
      if (now >= waitUntil) {
        return Future.succeededFuture(first.response());
      }
      Promise<JsonObject> later = Promise.promise();
      vertx.setTimer(PENDING_POLL_MILLIS, id -> claim(key, mine, owner, waitUntil).onComplete(later));
      return later.future();
    });
  }

  private Future<JsonObject> admitClaimed(String key, SubmitRecord record, String owner) {
    String jobId = record.jobId();
    return admit(jobId, record.request(), owner, record.since())
      // Refused (429) or failed before the job was handed on: the client is never told this job's id.
      .recover(err -> log.discard(jobId).eventually(() -> store.releaseIdempotencyKey(key))
        .transform(v -> Future.failedFuture(err)))
      .compose(v -> confirm(key, record));
  }

  // The first submit died before its first stage's message was confirmed (or its confirm was not recorded):
  // the same job is admitted again. Claimed by moving the record's time first, so that replays arriving
  // meanwhile wait for this admission instead of starting one each.
  private Future<JsonObject> readmit(String key, SubmitRecord first, String owner, long now) {
    SubmitRecord again = first.readmitted(now);
    String jobId = first.jobId();
    return store.replaceIdempotencyRecord(key, again.toJson())
      .compose(v -> log.latest(jobId))
      .compose(latest -> latest != null && latest.isTerminal() ? Future.<Void>succeededFuture()
        : admit(jobId, first.request(), owner, now))
      .compose(v -> confirm(key, again));
  }

  // A confirm that cannot be recorded leaves the record pending: a replay then admits the job once more,
  // which its stages tolerate, so the client still gets its answer now.
  private Future<JsonObject> confirm(String key, SubmitRecord record) {
    return store.replaceIdempotencyRecord(key, record.confirmed().toJson())
      .onSuccess(v -> SubmitFaults.reached(SubmitFaults.CONFIRMED))
      .otherwise((Void) null)
      .map(v -> record.response());
  }

  private Future<Void> admit(String jobId, JsonObject data, String owner, long submittedAt) {
    // The queued event is always a job's first: its first stage starts from that checkpoint, no read needed.
    WorkItem item = new WorkItem(jobId, plan.first(), 0, submittedAt, data, null, Checkpoint.QUEUED);
    Future<Void> owned = owner == null ? Future.succeededFuture() : store.putOwner(jobId, owner);
    return owned.compose(v -> store.putInput(jobId, data))
      .compose(v -> recorder.queued(jobId))
      .compose(e -> {
        SubmitFaults.reached(SubmitFaults.QUEUED);
        return transport.send(plan.first(), item, SendOptions.ADMISSION);
      })
      .onSuccess(v -> SubmitFaults.reached(SubmitFaults.PUBLISHED));
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
