package io.eco2.engine.eventlog.memory;

import io.eco2.engine.eventlog.ActiveJobs;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@link ActiveJobs} of the in-memory log: the jobs not ended ordered by the time they are watched from.
 * The one process of embedded mode always holds the lease. The log removes the jobs it stops holding
 * (evicted or expired without ending), so the set stays within the log's bounds. Thread-safe.
 */
final class MemoryActiveJobs implements ActiveJobs {

  private record Entry(long at, String jobId) implements Comparable<Entry> {
    @Override
    public int compareTo(Entry o) {
      int c = Long.compare(at, o.at);
      return c != 0 ? c : jobId.compareTo(o.jobId);
    }
  }

  private final TreeSet<Entry> byTime = new TreeSet<>();
  private final Map<String, Entry> byJob = new HashMap<>();
  private final Map<String, Long> redrives = new HashMap<>();

  /** A job's first event: watched from its time. */
  synchronized void entered(String jobId, long at) {
    if (!byJob.containsKey(jobId)) {
      put(jobId, at);
    }
  }

  /** A job's terminal event, or the log no longer holding it. */
  synchronized void left(String jobId) {
    Entry e = byJob.remove(jobId);
    if (e != null) {
      byTime.remove(e);
    }
    redrives.remove(jobId);
  }

  private void put(String jobId, long at) {
    Entry e = new Entry(at, jobId);
    byJob.put(jobId, e);
    byTime.add(e);
  }

  @Override
  public synchronized Future<List<String>> watchedBefore(long before, int limit) {
    List<String> out = new ArrayList<>();
    Iterator<Entry> it = byTime.iterator();
    while (it.hasNext() && out.size() < limit) {
      Entry e = it.next();
      if (e.at > before) {
        break;
      }
      out.add(e.jobId);
    }
    return Future.succeededFuture(out);
  }

  @Override
  public synchronized Future<Void> watchFrom(String jobId, long at) {
    Entry e = byJob.get(jobId);
    if (e != null) {
      byTime.remove(e);
      put(jobId, at);
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> unwatch(String jobId) {
    left(jobId);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Long> countRedrive(String jobId) {
    return Future.succeededFuture(redrives.merge(jobId, 1L, Long::sum));
  }

  @Override
  public Future<Boolean> lease(String holder, Duration ttl) {
    return Future.succeededFuture(true);
  }
}
