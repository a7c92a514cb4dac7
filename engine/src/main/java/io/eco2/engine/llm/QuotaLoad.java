package io.eco2.engine.llm;

/**
 * How much the LLM calls of this process wait on their rate-limit budget: what the autoscaler reads to tell
 * "waiting on quota" (more workers would not help) from "short of workers". Implemented by the rate-limit
 * gate ({@link io.eco2.engine.llm.ratelimit.RateLimitGate}) and offered by a provider through
 * {@link LlmProvider#quotaLoad()}; read from any thread, cheaply (once per decision interval).
 */
public interface QuotaLoad {

  /** A provider without a rate limit: nothing ever waits. */
  QuotaLoad NONE = new QuotaLoad() {
    @Override
    public int waiting() {
      return 0;
    }

    @Override
    public double waitedSeconds() {
      return 0;
    }
  };

  /** LLM calls waiting for budget now, over every model. */
  int waiting();

  /** Seconds LLM calls have spent waiting for budget since start, over every model (never decreases). */
  double waitedSeconds();
}
