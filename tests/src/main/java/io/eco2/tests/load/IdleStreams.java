package io.eco2.tests.load;

import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Idle mode: N streams held open, and the delay from an event's append to its frame reaching them.
 *
 * <p>A stream stays open only while its job runs, so the streams need jobs to watch: a trickle of one-shot
 * stream-mode iterations (at {@code --trickle} jobs per second, counted as the run's iterations) supplies
 * them. Each held stream attaches to the newest job (the one with the longest life left) and, when that job's
 * stream ends, re-attaches to the then newest after a random 0–1 s pause, so the reconnects of the streams
 * that watched one job spread out instead of arriving together. Users start over the ramp-up and close their
 * stream at their stop time, like the closed-loop users.
 *
 * <p>Only live frames measure the delay: those whose {@code ts} is not before the moment the stream's
 * response arrived (earlier ones are the replayed history). Engine and generator must share a clock (one
 * host); the delay is then {@code arrival - ts} in milliseconds, at millisecond resolution.
 */
public final class IdleStreams {

  /** Trickle users kept for the hard stop's interrupt; older ones have finished long before. */
  private static final int MAX_TRACKED_TRICKLE = 4096;

  private final LoadRun run;
  private final Context[] contexts;
  private final Deque<VirtualUser> trickle = new ArrayDeque<>();
  /** How many recent jobs a spread watcher chooses from: about the jobs in flight at a few jobs per second. */
  private static final int RECENT_JOBS = 32;

  private volatile String newestStream;
  private final java.util.ArrayDeque<String> recentStreams = new java.util.ArrayDeque<>();
  private long trickleTimer = -1;

  public IdleStreams(LoadRun run, Context[] contexts) {
    this.run = run;
    this.contexts = contexts.clone();
  }

  /** Starts the trickle at once and the held streams over the ramp-up. */
  public void start() {
    long period = Math.max(1, Math.round(1000 / run.options().trickleRate()));
    long trickleEnd = run.options().rampUp().plus(run.options().hold()).plus(run.options().rampDown()).toMillis();
    contexts[0].runOnContext(v -> {
      submitTrickle();
      trickleTimer = run.vertx().setPeriodic(period, t -> {
        if (run.elapsedMillis() >= trickleEnd || run.frozen()) {
          run.vertx().cancelTimer(t);
        } else {
          submitTrickle();
        }
      });
    });
    for (int i = 0; i < run.options().users(); i++) {
      Holder holder = new Holder(contexts[i % contexts.length], run.options().stopMillis(i));
      run.vertx().setTimer(Math.max(1, run.options().startMillis(i)), t -> holder.context.runOnContext(x -> holder.attach()));
    }
  }

  private void submitTrickle() {
    VirtualUser user = VirtualUser.oneShot(run, contexts[0], url -> {
      newestStream = url;
      synchronized (recentStreams) {
        recentStreams.addLast(url);
        if (recentStreams.size() > RECENT_JOBS) {
          recentStreams.removeFirst();
        }
      }
    });
    synchronized (trickle) {
      trickle.addLast(user);
      if (trickle.size() > MAX_TRACKED_TRICKLE) {
        trickle.removeFirst();
      }
    }
    user.start();
  }

  /** Hard stop: cuts the trickle's iterations in flight (the held streams close with the client). */
  public void interrupt() {
    if (trickleTimer >= 0) {
      run.vertx().cancelTimer(trickleTimer);
    }
    synchronized (trickle) {
      trickle.forEach(u -> u.context().runOnContext(v -> u.interrupt()));
    }
  }

  private String randomRecent() {
    synchronized (recentStreams) {
      if (recentStreams.isEmpty()) {
        return null;
      }
      int pick = ThreadLocalRandom.current().nextInt(recentStreams.size());
      return recentStreams.stream().skip(pick).findFirst().orElse(null);
    }
  }

  /** One held stream, re-attached job after job until its stop time. Runs on its own context. */
  private final class Holder {
    private final Context context;
    private final long stopAt;

    Holder(Context context, long stopAt) {
      this.context = context;
      this.stopAt = stopAt;
    }

    void attach() {
      if (run.frozen() || run.elapsedMillis() >= stopAt) {
        return;
      }
      String url = run.options().spreadWatchers() ? randomRecent() : newestStream;
      if (url == null) {
        // No job submitted yet (the first submit is on its way).
        run.vertx().setTimer(100, t -> attach());
        return;
      }
      StreamChecker checker = new StreamChecker(run.stages());
      long[] attachedAt = {Long.MAX_VALUE};
      run.stream(url, frame -> {
        JsonObject data = checker.accept(frame);
        if (data != null && !run.frozen()) {
          long ts = data.getLong("ts", -1L);
          if (ts >= attachedAt[0]) {
            run.stats().eventDelay.recordMillis(frame.arrivedMs() - ts);
          }
        }
      }).onComplete(ar -> {
        if (ar.failed()) {
          run.stats().outcome(RunStats.Outcome.FAILED, "idle_stream_open: " + VirtualUser.shortReason(ar.cause()));
          run.vertx().setTimer(1000, t -> attach());
          return;
        }
        attachedAt[0] = System.currentTimeMillis();
        SseStream stream = ar.result();
        run.stats().streamOpened();
        long stopTimer = run.vertx().setTimer(Math.max(1, stopAt - run.elapsedMillis()), t -> stream.close());
        stream.ended().onComplete(end -> {
          run.stats().streamClosed();
          run.vertx().cancelTimer(stopTimer);
          if (run.frozen() || (end.succeeded() && end.result() == SseStream.End.CANCELLED)) {
            return;
          }
          checker.streamEnded();
          run.stats().violations(checker.violations());
          run.vertx().setTimer(1 + ThreadLocalRandom.current().nextLong(1000), t -> attach());
        });
      });
    }
  }
}
