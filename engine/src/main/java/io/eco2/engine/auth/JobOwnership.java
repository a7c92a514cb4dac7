package io.eco2.engine.auth;

import io.eco2.engine.eventlog.JobStore;
import io.vertx.core.Future;

/**
 * Which caller a job belongs to. A job is owned by the caller who submitted it; the owner is stored with the
 * job ({@link JobStore#putOwner}, in Redis in distributed mode, so every API instance agrees). With
 * authentication off every job is everyone's.
 *
 * <p>A caller who is not the owner must be answered exactly as for an unknown job (404, never 403), so
 * that job ids cannot be probed: {@link #mayAccess} is the one question the API surface asks.
 */
public final class JobOwnership {

  private final JobStore store;
  private final boolean enforced;

  /** @param enforced whether requests are authenticated (auth.mode other than none) */
  public JobOwnership(JobStore store, boolean enforced) {
    this.store = store;
    this.enforced = enforced;
  }

  /** The owner to record for a job {@code caller} submits: null when there are no owners. */
  public String ownerFor(Caller caller) {
    return enforced && !caller.isAnonymous() ? caller.userId() : null;
  }

  /**
   * Whether {@code caller} may see {@code jobId}. False also when the job has no recorded owner while
   * authentication is on (submitted before it was turned on, or its record expired).
   */
  public Future<Boolean> mayAccess(String jobId, Caller caller) {
    if (!enforced) {
      return Future.succeededFuture(true);
    }
    return store.owner(jobId).map(owner -> owner != null && owner.equals(caller.userId()));
  }
}
