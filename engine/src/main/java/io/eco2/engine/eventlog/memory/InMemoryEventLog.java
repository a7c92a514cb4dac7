package io.eco2.engine.eventlog.memory;

import io.eco2.engine.eventlog.ActiveJobs;
import io.eco2.engine.eventlog.EventId;
import io.eco2.engine.eventlog.EventLog;
import io.eco2.engine.eventlog.EventSubscription;
import io.eco2.engine.eventlog.JobStore;
import io.eco2.engine.eventlog.LoggedEvent;
import io.eco2.engine.eventlog.TransitionOutcome;
import io.eco2.engine.job.ProgressEvent;
import io.eco2.engine.job.ProgressUpdate;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * The embedded-mode event log and job store: everything in this process's memory, bounded.
 *
 * <p>A job's events, dedup keys and result expire {@code ttl} after its last event; at most {@code maxJobs}
 * jobs and {@code maxBytes} of their estimated heap ({@link Footprint}: events, outputs, results) are
 * retained by evicting finished jobs, the one that finished first going first, and as many idempotency keys
 * as jobs. A job still running is never evicted: dropping it would restart its log under a job that is
 * still running (its stream's {@code seq} starting over, its result lost). Their number is bounded by
 * admission control instead (the stages' executions and backlogs), so the log may stay above its bounds while
 * only running jobs are left. {@link #bytes()} is the estimate now. Events of
 * one job are published to subscribers inside the same lock that orders them, so every subscriber sees a
 * job's events in id order. All methods are thread-safe and complete their futures before returning.
 */
public final class InMemoryEventLog implements EventLog, JobStore {

  /** {@code event-log.max-bytes} meaning "a quarter of the JVM's maximum heap". */
  public static final long AUTO_MAX_BYTES = 0;

  private final long ttlMillis;
  private final int maxJobs;
  private final long maxBytes;
  private long bytes;
  private final LongSupplier clock;

  private final LinkedHashMap<String, JobLog> jobs = new LinkedHashMap<>(1024, 0.75f, true);
  private final LinkedHashMap<String, Expiring> idempotency = new LinkedHashMap<>(1024, 0.75f, true);
  private final Map<String, List<Handler<ProgressEvent>>> subscribers = new HashMap<>();
  private final long idempotencyTtlMillis;
  private final MemoryActiveJobs active = new MemoryActiveJobs();
  // The retained jobs that ended, in the order they ended: the only ones eviction takes.
  private final LinkedHashSet<String> ended = new LinkedHashSet<>();
  // The retained jobs with a cancel request: few at any time, so the workers' periodic check of every job
  // in flight (10,000 at a time under load, every pipeline.cancel-check-ms) is one emptiness test, not a
  // lookup per job (it was a tenth of the embedded engine's CPU at 10,000 users).
  private final Set<String> cancelRequests = new HashSet<>();

  /**
   * @param ttl how long a job outlives its last event
   * @param maxJobs jobs (and idempotency keys) retained at most
   * @param idempotencyTtl how long an idempotency key is held
   */
  public InMemoryEventLog(Duration ttl, int maxJobs, Duration idempotencyTtl) {
    this(ttl, maxJobs, AUTO_MAX_BYTES, idempotencyTtl);
  }

  /**
   * @param maxBytes estimated heap of the retained jobs at most; {@link #AUTO_MAX_BYTES}: a quarter of the
   *     JVM's maximum heap
   */
  public InMemoryEventLog(Duration ttl, int maxJobs, long maxBytes, Duration idempotencyTtl) {
    this(ttl, maxJobs, maxBytes, idempotencyTtl, System::currentTimeMillis);
  }

  InMemoryEventLog(Duration ttl, int maxJobs, Duration idempotencyTtl, LongSupplier clock) {
    this(ttl, maxJobs, AUTO_MAX_BYTES, idempotencyTtl, clock);
  }

  InMemoryEventLog(Duration ttl, int maxJobs, long maxBytes, Duration idempotencyTtl, LongSupplier clock) {
    if (maxJobs < 1) {
      throw new IllegalArgumentException("event-log.max-jobs: must be at least 1, got " + maxJobs);
    }
    if (maxBytes < 0) {
      throw new IllegalArgumentException("event-log.max-bytes: must be 0 (auto) or more, got " + maxBytes);
    }
    this.ttlMillis = ttl.toMillis();
    this.maxJobs = maxJobs;
    this.maxBytes = maxBytes == AUTO_MAX_BYTES ? Runtime.getRuntime().maxMemory() / 4 : maxBytes;
    this.idempotencyTtlMillis = idempotencyTtl.toMillis();
    this.clock = clock;
  }

  @Override
  public synchronized Future<ProgressEvent> append(String jobId, ProgressUpdate update) {
    long now = clock.getAsLong();
    JobLog log = liveOrNew(jobId, now);
    ProgressEvent existing = log.byDedupKey.get(update.dedupKey());
    if (existing != null) {
      return Future.succeededFuture(existing);
    }
    ProgressEvent event = add(jobId, log, update, now);
    evictOverflow();
    return Future.succeededFuture(event);
  }

  @Override
  public synchronized Future<TransitionOutcome> transition(String jobId, long expectedEvents, List<ProgressUpdate> updates,
                                                           JsonObject result, long submittedAt) {
    long now = clock.getAsLong();
    JobLog log = liveOrNew(jobId, now);
    if (log.events.size() != expectedEvents) {
      return Future.succeededFuture(TransitionOutcome.conflict(logged(log)));
    }
    if (result != null) {
      setResult(log, result);
    }
    List<ProgressEvent> out = new ArrayList<>(updates.size());
    for (ProgressUpdate u : updates) {
      out.add(add(jobId, log, u, now));
    }
    if (!out.isEmpty() && out.get(out.size() - 1).isTerminal()) {
      active.left(jobId);
    } else if (expectedEvents == 0 && !out.isEmpty()) {
      active.entered(jobId, now);
    }
    evictOverflow();
    return Future.succeededFuture(TransitionOutcome.appended(out));
  }

  @Override
  public synchronized Future<List<LoggedEvent>> history(String jobId) {
    JobLog log = live(jobId, clock.getAsLong());
    return Future.succeededFuture(log == null ? List.of() : logged(log));
  }

  private static List<LoggedEvent> logged(JobLog log) {
    List<LoggedEvent> out = new ArrayList<>(log.events.size());
    for (int i = 0; i < log.events.size(); i++) {
      out.add(new LoggedEvent(log.events.get(i), log.dedupKeys.get(i)));
    }
    return out;
  }

  private JobLog liveOrNew(String jobId, long now) {
    JobLog log = live(jobId, now);
    if (log == null) {
      log = new JobLog();
      jobs.put(jobId, log);
      bytes += log.bytes;
      evictOverflow();
    }
    return log;
  }

  // Under the lock: subscribers see one job's events in id order.
  private ProgressEvent add(String jobId, JobLog log, ProgressUpdate update, long now) {
    EventId id = EventId.next(log.lastId, now);
    ProgressEvent event = new ProgressEvent(id.toString(), jobId, update.stage(), update.status(),
      log.events.size(), now, update.progress(), update.result());
    log.lastId = id;
    log.events.add(event);
    if (event.isTerminal()) {
      ended.add(jobId);
    }
    charge(log, Footprint.EVENT_OVERHEAD + Footprint.of(update.result()));
    log.dedupKeys.add(update.dedupKey());
    log.byDedupKey.put(update.dedupKey(), event);
    log.expiresAt = now + ttlMillis;
    List<Handler<ProgressEvent>> subs = subscribers.get(jobId);
    if (subs != null) {
      for (Handler<ProgressEvent> h : subs) {
        h.handle(event);
      }
    }
    return event;
  }

  @Override
  public synchronized Future<List<ProgressEvent>> readAfter(String jobId, EventId after) {
    JobLog log = live(jobId, clock.getAsLong());
    if (log == null) {
      return Future.succeededFuture(List.of());
    }
    List<ProgressEvent> out = new ArrayList<>();
    for (ProgressEvent e : log.events) {
      if (EventId.parse(e.id()).isAfter(after)) {
        out.add(e);
      }
    }
    return Future.succeededFuture(out);
  }

  @Override
  public synchronized Future<ProgressEvent> latest(String jobId) {
    JobLog log = live(jobId, clock.getAsLong());
    return Future.succeededFuture(log == null || log.events.isEmpty() ? null : log.events.get(log.events.size() - 1));
  }

  @Override
  public synchronized EventSubscription subscribe(String jobId, Handler<ProgressEvent> handler) {
    subscribers.computeIfAbsent(jobId, k -> new CopyOnWriteArrayList<>()).add(handler);
    return () -> unsubscribe(jobId, handler);
  }

  private synchronized void unsubscribe(String jobId, Handler<ProgressEvent> handler) {
    List<Handler<ProgressEvent>> subs = subscribers.get(jobId);
    if (subs != null && subs.remove(handler) && subs.isEmpty()) {
      subscribers.remove(jobId);
    }
  }

  @Override
  public synchronized Future<Void> discard(String jobId) {
    forget(jobId, jobs.remove(jobId));
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> putResult(String jobId, JsonObject result) {
    long now = clock.getAsLong();
    JobLog log = liveOrNew(jobId, now);
    setResult(log, result);
    log.expiresAt = now + ttlMillis;
    evictOverflow();
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<JsonObject> result(String jobId) {
    JobLog log = live(jobId, clock.getAsLong());
    return Future.succeededFuture(log == null || log.result == null ? null : log.result.copy());
  }

  @Override
  public synchronized Future<JsonObject> claimIdempotencyKey(String key, JsonObject response) {
    long now = clock.getAsLong();
    Expiring held = idempotency.get(key);
    if (held != null && held.expiresAt > now) {
      return Future.succeededFuture(held.value.copy());
    }
    idempotency.put(key, new Expiring(response.copy(), now + idempotencyTtlMillis));
    while (idempotency.size() > maxJobs) {
      Iterator<String> it = idempotency.keySet().iterator();
      it.next();
      it.remove();
    }
    return Future.succeededFuture(null);
  }

  @Override
  public synchronized Future<Void> releaseIdempotencyKey(String key) {
    idempotency.remove(key);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> replaceIdempotencyRecord(String key, JsonObject record) {
    Expiring held = idempotency.get(key);
    if (held != null && held.expiresAt > clock.getAsLong()) {
      idempotency.put(key, new Expiring(record.copy(), held.expiresAt));
    }
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> putInput(String jobId, JsonObject input) {
    JobLog log = job(jobId);
    if (log.input != null) {
      charge(log, -Footprint.of(log.input));
    }
    log.input = input.copy();
    charge(log, Footprint.of(log.input));
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<JsonObject> input(String jobId) {
    JobLog log = live(jobId, clock.getAsLong());
    return Future.succeededFuture(log == null || log.input == null ? null : log.input.copy());
  }

  @Override
  public synchronized Future<Void> putOwner(String jobId, String owner) {
    job(jobId).owner = owner;
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<String> owner(String jobId) {
    JobLog log = live(jobId, clock.getAsLong());
    return Future.succeededFuture(log == null ? null : log.owner);
  }

  @Override
  public synchronized Future<Void> requestCancel(String jobId) {
    job(jobId).cancelRequested = true;
    cancelRequests.add(jobId);
    return Future.succeededFuture();
  }

  @Override
  public synchronized boolean mayHaveCancelRequests() {
    return !cancelRequests.isEmpty();
  }

  @Override
  public synchronized Future<Set<String>> cancelRequested(List<String> jobIds) {
    if (cancelRequests.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    long now = clock.getAsLong();
    Set<String> out = new HashSet<>();
    for (String id : jobIds) {
      JobLog log = cancelRequests.contains(id) ? live(id, now) : null;
      if (log != null && log.cancelRequested) {
        out.add(id);
      }
    }
    return Future.succeededFuture(out);
  }

  // The job's record, created when absent (an owner is recorded before the job's first event).
  private JobLog job(String jobId) {
    JobLog log = live(jobId, clock.getAsLong());
    if (log == null) {
      log = new JobLog();
      log.expiresAt = clock.getAsLong() + ttlMillis;
      jobs.put(jobId, log);
      evictOverflow();
    }
    return log;
  }

  /** The jobs that have not ended, for the watchdog (the one process always holds its lease). */
  public ActiveJobs activeJobs() {
    return active;
  }

  /** Jobs currently retained (expired ones not yet swept included). */
  public synchronized int size() {
    return jobs.size();
  }

  /** The estimated heap of the retained jobs, bounded by the configured maximum. */
  public synchronized long bytes() {
    return bytes;
  }

  /**
   * Registers {@code eventlog_memory_bytes} (the estimate), {@code eventlog_memory_max_bytes} (its bound) and
   * {@code eventlog_memory_jobs} (jobs retained).
   */
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("eventlog.memory.bytes", this, InMemoryEventLog::bytes)
      .description("estimated heap of the jobs the in-memory event log retains").baseUnit("bytes").register(registry);
    Gauge.builder("eventlog.memory.max.bytes", this, InMemoryEventLog::maxBytes)
      .description("bound on eventlog_memory_bytes (event-log.max-bytes)").baseUnit("bytes").register(registry);
    Gauge.builder("eventlog.memory.jobs", this, InMemoryEventLog::size)
      .description("jobs the in-memory event log retains (bounded by event-log.max-jobs)").register(registry);
  }

  /** The bound on {@link #bytes()} (a quarter of the maximum heap when configured as auto). */
  public long maxBytes() {
    return maxBytes;
  }

  private void setResult(JobLog log, JsonObject result) {
    if (log.result != null) {
      charge(log, -Footprint.of(log.result));
    }
    log.result = result.copy();
    charge(log, Footprint.of(log.result));
  }

  private void charge(JobLog log, long delta) {
    log.bytes += delta;
    bytes += delta;
  }

  // A job the log no longer holds (expired, evicted or discarded) is not watched, cancelled or evictable either.
  private void forget(String jobId, JobLog log) {
    active.left(jobId);
    cancelRequests.remove(jobId);
    ended.remove(jobId);
    if (log != null) {
      bytes -= log.bytes;
    }
  }

  private JobLog live(String jobId, long now) {
    JobLog log = jobs.get(jobId);
    if (log != null && log.expiresAt <= now) {
      forget(jobId, jobs.remove(jobId));
      return null;
    }
    sweepExpired(now);
    return log;
  }

  // Access order puts the least recently touched job first, so sweeping from the head is cheap and
  // amortised; anything the head shadows is still bounded by maxJobs and checked on access.
  private void sweepExpired(long now) {
    Iterator<Map.Entry<String, JobLog>> it = jobs.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, JobLog> e = it.next();
      if (e.getValue().expiresAt > now) {
        break;
      }
      forget(e.getKey(), e.getValue());
      it.remove();
    }
  }

  // Finished jobs only, the first finished first: a running job's log is never dropped (see the class).
  private void evictOverflow() {
    while ((jobs.size() > maxJobs || bytes > maxBytes) && !ended.isEmpty()) {
      String first = ended.iterator().next();
      forget(first, jobs.remove(first));
    }
  }

  private static final class JobLog {
    final List<ProgressEvent> events = new ArrayList<>(12);
    final List<String> dedupKeys = new ArrayList<>(12);
    final Map<String, ProgressEvent> byDedupKey = new HashMap<>();
    EventId lastId;
    long expiresAt = Long.MAX_VALUE;
    long bytes = Footprint.JOB_OVERHEAD;
    JsonObject result;
    JsonObject input;
    String owner;
    boolean cancelRequested;
  }

  private record Expiring(JsonObject value, long expiresAt) {
  }
}
