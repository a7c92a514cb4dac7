package io.eco2.scan.llm;

import io.eco2.engine.llm.LlmProvider;
import io.eco2.engine.llm.LlmReply;
import io.eco2.engine.llm.LlmRequest;
import io.eco2.engine.stage.StageFailure;
import io.eco2.scan.data.Taxonomy;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * An LLM that needs no model: deterministic replies for the {@code vision} and {@code answer} tasks
 * (see {@link SimulatedReplies}) after a log-normal latency drawn per call.
 *
 * <p>The delay is a Vert.x timer, never a sleep. When {@link LlmRequest#cancelled()} completes first the
 * timer is cancelled and the call fails with a {@link StageFailure} coded {@code CANCELLED}. Safe to call
 * from many event loops at once: the replies are pure functions and the random source is thread-safe.
 */
public final class SimulatedLlmProvider implements LlmProvider {

  /** The code of the failure when the caller cancels a call. */
  public static final String CANCELLED = "CANCELLED";

  private final Vertx vertx;
  private final SimulatedLlmConfig config;
  private final SimulatedReplies replies;
  private final DoubleSupplier gaussian;

  public SimulatedLlmProvider(Vertx vertx, SimulatedLlmConfig config, Taxonomy taxonomy) {
    this.vertx = vertx;
    this.config = config;
    this.replies = new SimulatedReplies(taxonomy);
    if (config.seed() == null) {
      this.gaussian = () -> ThreadLocalRandom.current().nextGaussian();
    } else {
      // java.util.Random is thread-safe; calls from several event loops interleave, so a seed makes one
      // process's sequence of latencies reproducible, not which call gets which.
      Random random = new Random(config.seed());
      this.gaussian = random::nextGaussian;
    }
  }

  @Override
  public Future<LlmReply> complete(LlmRequest request) {
    JsonObject content;
    LogNormalLatency latency;
    try {
      switch (request.task()) {
        case "vision" -> {
          content = replies.vision(request);
          latency = config.vision();
        }
        case "answer" -> {
          content = replies.answer(request);
          latency = config.answer();
        }
        default -> {
          return Future.failedFuture(StageFailure.permanent("UNSUPPORTED_TASK",
            "llm.provider simulated: no simulated reply for task '" + request.task() + "' (known: vision, answer)"));
        }
      }
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    String prompt = request.systemPrompt() + request.userPrompt() + request.input().encode();
    LlmReply reply = new LlmReply(content, request.model() == null ? "simulated" : request.model(),
      SimulatedReplies.tokens(prompt), SimulatedReplies.tokens(content.encode()));
    return after(delayMs(latency), reply, request.cancelled());
  }

  /** The delay of one call: a draw from {@code latency}, times the latency scale. */
  long delayMs(LogNormalLatency latency) {
    if (config.latencyScale() == 0) {
      return 0;
    }
    return Math.round(latency.sample(gaussian.getAsDouble()) * config.latencyScale());
  }

  private Future<LlmReply> after(long delayMs, LlmReply reply, Future<Void> cancelled) {
    if (cancelled.isComplete()) {
      return Future.failedFuture(cancelledFailure());
    }
    if (delayMs <= 0) {
      return Future.succeededFuture(reply);
    }
    Promise<LlmReply> promise = Promise.promise();
    long timer = vertx.setTimer(delayMs, id -> promise.tryComplete(reply));
    cancelled.onComplete(v -> {
      vertx.cancelTimer(timer);
      promise.tryFail(cancelledFailure());
    });
    return promise.future();
  }

  private static StageFailure cancelledFailure() {
    // Retryable: a cancellation says nothing about the request, and the engine decides whether to retry.
    return StageFailure.retryable(CANCELLED, "llm: simulated call cancelled by the caller");
  }
}
