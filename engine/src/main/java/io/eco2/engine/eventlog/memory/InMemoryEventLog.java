package io.eco2.engine.eventlog.memory;

import io.eco2.engine.eventlog.EventId;
import io.eco2.engine.eventlog.EventLog;
import io.eco2.engine.eventlog.EventSubscription;
import io.eco2.engine.eventlog.JobStore;
import io.eco2.engine.job.ProgressEvent;
import io.eco2.engine.job.ProgressUpdate;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * The embedded-mode event log and job store: everything in this process's memory, bounded.
 *
 * <p>A job's events, dedup keys and result expire {@code ttl} after its last event; at most {@code maxJobs}
 * jobs are retained (the least recently written is evicted first), and as many idempotency keys. Events of
 * one job are published to subscribers inside the same lock that orders them, so every subscriber sees a
 * job's events in id order. All methods are thread-safe and complete their futures before returning.
 */
public final class InMemoryEventLog implements EventLog, JobStore {

  private final long ttlMillis;
  private final int maxJobs;
  private final LongSupplier clock;

  private final LinkedHashMap<String, JobLog> jobs = new LinkedHashMap<>(1024, 0.75f, true);
  private final LinkedHashMap<String, Expiring> idempotency = new LinkedHashMap<>(1024, 0.75f, true);
  private final Map<String, List<Handler<ProgressEvent>>> subscribers = new HashMap<>();
  private final long idempotencyTtlMillis;

  /**
   * @param ttl how long a job outlives its last event
   * @param maxJobs jobs (and idempotency keys) retained at most
   * @param idempotencyTtl how long an idempotency key is held
   */
  public InMemoryEventLog(Duration ttl, int maxJobs, Duration idempotencyTtl) {
    this(ttl, maxJobs, idempotencyTtl, System::currentTimeMillis);
  }

  InMemoryEventLog(Duration ttl, int maxJobs, Duration idempotencyTtl, LongSupplier clock) {
    if (maxJobs < 1) {
      throw new IllegalArgumentException("event-log.max-jobs: must be at least 1, got " + maxJobs);
    }
    this.ttlMillis = ttl.toMillis();
    this.maxJobs = maxJobs;
    this.idempotencyTtlMillis = idempotencyTtl.toMillis();
    this.clock = clock;
  }

  @Override
  public synchronized Future<ProgressEvent> append(String jobId, ProgressUpdate update) {
    long now = clock.getAsLong();
    JobLog log = live(jobId, now);
    if (log == null) {
      log = new JobLog();
      jobs.put(jobId, log);
      evictOverflow();
    }
    ProgressEvent existing = log.byDedupKey.get(update.dedupKey());
    if (existing != null) {
      return Future.succeededFuture(existing);
    }
    EventId id = EventId.next(log.lastId, now);
    ProgressEvent event = new ProgressEvent(id.toString(), jobId, update.stage(), update.status(),
      log.events.size(), now, update.progress(), update.result());
    log.lastId = id;
    log.events.add(event);
    log.byDedupKey.put(update.dedupKey(), event);
    log.expiresAt = now + ttlMillis;
    List<Handler<ProgressEvent>> subs = subscribers.get(jobId);
    if (subs != null) {
      for (Handler<ProgressEvent> h : subs) {
        h.handle(event);
      }
    }
    return Future.succeededFuture(event);
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
    jobs.remove(jobId);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> putResult(String jobId, JsonObject result) {
    long now = clock.getAsLong();
    JobLog log = live(jobId, now);
    if (log == null) {
      log = new JobLog();
      jobs.put(jobId, log);
      evictOverflow();
    }
    log.result = result.copy();
    log.expiresAt = now + ttlMillis;
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
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Set<String>> cancelRequested(List<String> jobIds) {
    long now = clock.getAsLong();
    Set<String> out = new HashSet<>();
    for (String id : jobIds) {
      JobLog log = live(id, now);
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

  /** Jobs currently retained (expired ones not yet swept included). */
  public synchronized int size() {
    return jobs.size();
  }

  private JobLog live(String jobId, long now) {
    JobLog log = jobs.get(jobId);
    if (log != null && log.expiresAt <= now) {
      jobs.remove(jobId);
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
      it.remove();
    }
  }

  private void evictOverflow() {
    Iterator<String> it = jobs.keySet().iterator();
    while (jobs.size() > maxJobs && it.hasNext()) {
      it.next();
      it.remove();
    }
  }

  private static final class JobLog {
    final List<ProgressEvent> events = new ArrayList<>(12);
    final Map<String, ProgressEvent> byDedupKey = new HashMap<>();
    EventId lastId;
    long expiresAt = Long.MAX_VALUE;
    JsonObject result;
    String owner;
    boolean cancelRequested;
  }

  private record Expiring(JsonObject value, long expiresAt) {
  }
}
