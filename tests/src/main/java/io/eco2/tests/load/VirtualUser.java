package io.eco2.tests.load;

import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

import java.util.UUID;
import java.util.function.Consumer;

/**
 * One closed-loop virtual user (stream or poll mode): from its start time until its stop time it loops
 * submit → follow the job (SSE stream, or polling {@code result_url}) → fetch the result → think. An
 * iteration started before the stop time is finished (k6's graceful ramp-down); the run's hard stop cuts it
 * ({@code interrupted}). Everything runs on one Vert.x context, the user's, so its state needs no locks and
 * no thread is held between steps.
 */
public final class VirtualUser {

  private final LoadRun run;
  private final Context context;
  private final long stopAtMillis;
  private final boolean poll;
  private final boolean oneShot;
  private final Consumer<String> onJob;
  private Iteration current;
  private boolean stopped;

  /** @param stopAtMillis run time (ms) after which the user starts no further iteration */
  public VirtualUser(LoadRun run, Context context, long stopAtMillis) {
    this(run, context, stopAtMillis, false, null);
  }

  private VirtualUser(LoadRun run, Context context, long stopAtMillis, boolean oneShot, Consumer<String> onJob) {
    this.run = run;
    this.context = context;
    this.stopAtMillis = stopAtMillis;
    this.poll = run.options().mode() == LoadOptions.Mode.POLL;
    this.oneShot = oneShot;
    this.onJob = onJob;
  }

  /**
   * A user that runs one stream-mode iteration at once and no other (idle mode's trickle of jobs);
   * {@code onJob} receives the job's stream URL as soon as the submit was accepted.
   */
  public static VirtualUser oneShot(LoadRun run, Context context, Consumer<String> onJob) {
    return new VirtualUser(run, context, Long.MAX_VALUE, true, onJob);
  }

  /** Starts the loop (on the user's context). */
  public void start() {
    context.runOnContext(v -> next());
  }

  /** Hard stop: an iteration in flight counts as failed ({@code interrupted}); no further one starts. */
  public void interrupt() {
    stopped = true;
    if (current != null) {
      current.finish(RunStats.Outcome.FAILED, "interrupted");
    }
  }

  public Context context() {
    return context;
  }

  private void next() {
    if (stopped || run.frozen() || run.elapsedMillis() >= stopAtMillis) {
      stopped = true;
      return;
    }
    // A one-shot user is "stopped" from its first iteration on, so finishing it starts no other.
    stopped = oneShot;
    current = new Iteration();
    current.submit();
  }

  /** One submit-to-result cycle; finishes exactly once. */
  private final class Iteration {
    private final long begin = System.nanoTime();
    private final StreamChecker checker = new StreamChecker(run.stages());
    private final long timer;
    private SseStream stream;
    private long streamOpenNanos;
    private long pollTimer = -1;
    private String resultUrl;
    private boolean done;

    Iteration() {
      run.iterationStarted();
      timer = run.vertx().setTimer(run.options().iterationTimeout().toMillis(),
        t -> finish(RunStats.Outcome.FAILED, "timeout"));
    }

    void submit() {
      JsonObject body = new JsonObject().put("image_url", run.randomImage());
      MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json")
        .add("X-Idempotency-Key", UUID.randomUUID().toString());
      run.send(HttpMethod.POST, "/api/v1/scan", body.toBuffer(), headers).onComplete(ar -> {
        if (done) {
          return;
        }
        if (ar.failed()) {
          finish(RunStats.Outcome.FAILED, "submit_error");
          return;
        }
        LoadRun.Reply reply = ar.result();
        run.stats().submit.recordNanos(reply.nanos());
        if (reply.status() != 200) {
          if (reply.status() == 429) {
            run.stats().rejected();
          }
          finish(RunStats.Outcome.FAILED, "submit_" + reply.status());
          return;
        }
        JsonObject job;
        try {
          job = reply.body().toJsonObject();
        } catch (RuntimeException e) {
          finish(RunStats.Outcome.FAILED, "submit_not_json");
          return;
        }
        resultUrl = job.getString("result_url");
        if (onJob != null) {
          onJob.accept(job.getString("stream_url"));
        }
        if (poll) {
          schedulePoll();
        } else {
          follow(job.getString("stream_url"));
        }
      });
    }

    private void follow(String streamUrl) {
      streamOpenNanos = System.nanoTime();
      run.stream(streamUrl, this::onFrame).onComplete(ar -> {
        if (done) {
          if (ar.succeeded()) {
            ar.result().close();
          }
          return;
        }
        if (ar.failed()) {
          finish(RunStats.Outcome.FAILED, "stream_open: " + shortReason(ar.cause()));
          return;
        }
        stream = ar.result();
        stream.ended().onComplete(end -> {
          if (done) {
            return;
          }
          checker.streamEnded();
          run.stats().violations(checker.violations());
          // A connection that breaks after the terminal frame lost nothing.
          fetchResult(end.failed() && checker.terminal() == null ? "stream_broken" : null);
        });
      });
    }

    private void onFrame(SseFrame frame) {
      if (done || !frame.isEvent()) {
        return;
      }
      boolean first = checker.events() == 0;
      checker.accept(frame);
      if (first) {
        run.stats().firstFrame.recordNanos(frame.arrivedNanos() - streamOpenNanos);
      }
      if (frame.isTerminal() && checker.terminal() == frame) {
        run.stats().endToEnd.recordNanos(frame.arrivedNanos() - begin);
        long stageMs = checker.stageMillis();
        if (stageMs >= 0) {
          run.stats().stageSum.recordMillis(stageMs);
        }
      }
    }

    private void schedulePoll() {
      pollTimer = run.vertx().setTimer(run.options().pollInterval().toMillis(), t -> {
        pollTimer = -1;
        if (done) {
          return;
        }
        run.send(HttpMethod.GET, resultUrl, null, null).onComplete(ar -> {
          if (done) {
            return;
          }
          if (ar.failed()) {
            finish(RunStats.Outcome.FAILED, "result_error");
            return;
          }
          run.stats().resultFetch.recordNanos(ar.result().nanos());
          if (ar.result().status() == 202) {
            schedulePoll();
            return;
          }
          if (ar.result().status() == 200) {
            run.stats().endToEnd.recordNanos(System.nanoTime() - begin);
          }
          judge(ar.result(), null);
        });
      });
    }

    // Stream mode: the job's stream ended (reason non-null: without its terminal frame); read the result.
    private void fetchResult(String streamProblem) {
      run.send(HttpMethod.GET, resultUrl, null, null).onComplete(ar -> {
        if (done) {
          return;
        }
        if (ar.failed()) {
          finish(RunStats.Outcome.FAILED, "result_error");
          return;
        }
        run.stats().resultFetch.recordNanos(ar.result().nanos());
        judge(ar.result(), streamProblem);
      });
    }

    private void judge(LoadRun.Reply reply, String streamProblem) {
      Verdict verdict = Verdict.judge(reply.status(), reply.body(), poll ? null : checker, streamProblem);
      if (verdict.resultRead() && !run.frozen()) {
        run.stats().result(verdict.rewardNull(), verdict.degraded());
      }
      finish(verdict.outcome(), verdict.reason());
    }

    void finish(RunStats.Outcome outcome, String reason) {
      if (done) {
        return;
      }
      done = true;
      run.iterationEnded();
      run.vertx().cancelTimer(timer);
      if (pollTimer >= 0) {
        run.vertx().cancelTimer(pollTimer);
      }
      if (stream != null) {
        stream.close();
      }
      if (run.frozen()) {
        return;
      }
      run.stats().outcome(outcome, reason);
      if (stopped || "interrupted".equals(reason)) {
        return;
      }
      long think = run.thinkMillis();
      run.stats().think.recordMillis(think);
      if (think == 0) {
        context.runOnContext(v -> next());
      } else {
        run.vertx().setTimer(think, t -> next());
      }
    }
  }

  static String shortReason(Throwable t) {
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    // Keep the vocabulary of failure reasons small: "stream answered 404: {...}" -> "stream answered 404".
    int colon = m.indexOf(':');
    return colon > 0 ? m.substring(0, colon) : (m.length() > 60 ? m.substring(0, 60) : m);
  }
}
