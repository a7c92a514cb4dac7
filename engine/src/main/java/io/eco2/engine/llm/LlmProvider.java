package io.eco2.engine.llm;

import io.vertx.core.Future;

/**
 * A large language model behind one call: a request with a prompt (and optionally an image) in, a
 * structured JSON reply out.
 *
 * <p>Implementations: the built-in {@code simulated} provider (deterministic output, configurable latency)
 * and {@code openai}, an OpenAI-compatible HTTP client. A provider must stop the call and fail the returned future
 * when {@link LlmRequest#cancelled()} completes, and fail with a
 * {@link io.eco2.engine.stage.StageFailure} whose code and retryability say what went wrong.
 */
public interface LlmProvider {

  /** Sends one completion request. */
  Future<LlmReply> complete(LlmRequest request);

  /**
   * Gets ready for calls (reads secrets, checks reachability of shared state); a failure fails the
   * engine's start-up. Called once, before any stage starts, in processes that run workers.
   */
  default Future<Void> start() {
    return Future.succeededFuture();
  }

  /**
   * How this provider's calls wait on their rate limit, for the autoscaler; {@link QuotaLoad#NONE} when it
   * has none.
   */
  default QuotaLoad quotaLoad() {
    return QuotaLoad.NONE;
  }

  /** Releases connections and timers. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
