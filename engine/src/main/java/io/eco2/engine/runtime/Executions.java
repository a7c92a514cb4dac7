package io.eco2.engine.runtime;

import io.eco2.engine.stage.StageFailure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stage executions in flight in this process, by job: what shutdown and job cancellation reach
 * through {@link io.eco2.engine.stage.StageContext#cancelled()}.
 *
 * <p>Promises: an execution is listed from the moment its stage is invoked until its outcome is known;
 * cancelling completes the execution's outcome with the given failure (unless it already ended), fires its
 * {@code cancelled()} future and so resets its LLM request. Thread-safe.
 */
public final class Executions {

  /** Code of the failure a shutdown hands an attempt over with: requeued, not counted as a failed attempt. */
  public static final String HANDED_OVER = "HANDED_OVER";

  private final Map<String, Set<StageExecution>> byJob = new ConcurrentHashMap<>();

  void add(StageExecution e) {
    byJob.computeIfAbsent(e.jobId(), k -> ConcurrentHashMap.newKeySet()).add(e);
  }

  void remove(StageExecution e) {
    byJob.computeIfPresent(e.jobId(), (k, set) -> {
      set.remove(e);
      return set.isEmpty() ? null : set;
    });
  }

  /** The jobs with an execution in flight now (a copy). */
  public List<String> jobIds() {
    return new ArrayList<>(byJob.keySet());
  }

  /**
   * Cancels the job's executions, each on its own context (a caller on another thread, such as a periodic
   * check, must not run the worker's continuation on its own thread).
   */
  void cancelOnTheirContexts(String jobId, StageFailure reason) {
    Set<StageExecution> set = byJob.get(jobId);
    if (set != null) {
      for (StageExecution e : new ArrayList<>(set)) {
        e.context().runOnContext(v -> e.cancel(reason));
      }
    }
  }

  /** Executions in flight now. */
  public int size() {
    int n = 0;
    for (Set<StageExecution> s : byJob.values()) {
      n += s.size();
    }
    return n;
  }

  /**
   * Cancels the executions of one job running in this process.
   *
   * @return how many were cancelled (0 when none of the job's stages runs here)
   */
  public int cancel(String jobId, StageFailure reason) {
    Set<StageExecution> set = byJob.get(jobId);
    return set == null ? 0 : cancelEach(new ArrayList<>(set), reason);
  }

  /** Cancels every execution in flight (shutdown). */
  public int cancelAll(StageFailure reason) {
    List<StageExecution> all = new ArrayList<>();
    byJob.values().forEach(all::addAll);
    return cancelEach(all, reason);
  }

  /** The failure that hands an attempt over to another worker at shutdown. */
  public static StageFailure handover() {
    return new StageFailure(HANDED_OVER, "the worker is shutting down; the attempt was handed to another worker", true);
  }

  private static int cancelEach(List<StageExecution> list, StageFailure reason) {
    int n = 0;
    for (StageExecution e : list) {
      if (e.cancel(reason)) {
        n++;
      }
    }
    return n;
  }
}
