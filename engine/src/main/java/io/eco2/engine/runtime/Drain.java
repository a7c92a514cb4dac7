package io.eco2.engine.runtime;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The two ways a process hands its work over when it stops (what {@code Engine.drain} runs once intake is
 * closed): in embedded mode wait until no job is left in the pipeline (nothing else could run them); in
 * distributed mode stop the workers' consumers, let the attempts in flight finish, and when the timeout
 * passes or {@code cutShort} completes, requeue the rest for another worker at once. Neither blocks: the
 * wait polls on a timer.
 */
public final class Drain {

  private static final long POLL_MILLIS = 50;

  private Drain() {
  }

  /** Jobs accepted and not yet ended over every stage: the sum of the transport's depths. */
  public static Future<Long> jobsInPipeline(List<Future<Long>> depths) {
    return Future.all(depths).map(cf -> {
      long total = 0;
      for (int i = 0; i < cf.size(); i++) {
        total += cf.<Long>resultAt(i);
      }
      return total;
    });
  }

  /**
   * Completes when {@code jobsLeft} reads 0, the timeout passed or {@code cutShort} completed.
   *
   * @return the jobs still unfinished then (-1 when they could not be counted)
   */
  public static Future<Long> untilEmpty(Vertx vertx, Supplier<Future<Long>> jobsLeft, Duration timeout, Future<Void> cutShort) {
    Promise<Long> done = Promise.promise();
    poll(vertx, jobsLeft, System.currentTimeMillis() + timeout.toMillis(), cutShort, done);
    return done.future();
  }

  private static void poll(Vertx vertx, Supplier<Future<Long>> jobsLeft, long deadline, Future<Void> cutShort, Promise<Long> done) {
    jobsLeft.get().onComplete(ar -> {
      long left = ar.succeeded() ? ar.result() : -1;
      if (left == 0 || System.currentTimeMillis() >= deadline || cutShort.isComplete()) {
        done.complete(left);
      } else {
        vertx.setTimer(POLL_MILLIS, id -> poll(vertx, jobsLeft, deadline, cutShort, done));
      }
    });
  }

  /**
   * Stops every worker's consumer; attempts still running when {@code timeout} passes (or {@code cutShort}
   * completes) are cancelled and requeued through {@link Executions#handover()}, not counted as failed.
   *
   * @return the attempts handed over, once every consumer has stopped
   */
  public static Future<Long> handOver(Vertx vertx, List<StageWorker> workers, Executions executions, Duration timeout,
                                      Future<Void> cutShort) {
    Promise<Long> done = Promise.promise();
    List<Future<?>> stopped = new ArrayList<>();
    workers.forEach(w -> stopped.add(w.stopConsuming()));
    AtomicLong handedOver = new AtomicLong();
    Runnable handOver = () -> {
      if (!done.future().isComplete()) {
        // Each hand-over is a publish awaiting its confirm: the consumers stop once those are acknowledged.
        handedOver.addAndGet(executions.cancelAll(Executions.handover()));
      }
    };
    long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> handOver.run());
    cutShort.onComplete(v -> handOver.run());
    Future.all(stopped).onComplete(ar -> {
      vertx.cancelTimer(timer);
      done.tryComplete(handedOver.get());
    });
    return done.future();
  }
}
