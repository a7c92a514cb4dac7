package io.eco2.scan;

import io.eco2.engine.stage.StagePolicy;

import java.time.Duration;

/**
 * The default policies of the Eco² stages (CONTRACT §3), in one place so that the two kinds of stage cannot
 * drift apart: LLM calls (vision, answer) and local lookups (rule, reward).
 */
public final class EcoPolicies {

  private EcoPolicies() {
  }

  /**
   * An LLM call: 60 s timeout; 2 retries backing off 1 s then 2 s with jitter; 2 instances of 3,072 in flight
   * (calls take 4–10 s and almost no CPU); backlog 10,000. Sized for 10,000 closed-loop users on one process:
   * each has at most one job in flight, the slowest stage holds about half of them, and whatever does not run
   * can wait in the backlog, so admission control (429) only answers beyond that load.
   */
  public static StagePolicy llmCall() {
    return new StagePolicy()
      .setTimeout(Duration.ofSeconds(60))
      .setRetries(2)
      .setBackoffInitial(Duration.ofSeconds(1))
      .setBackoffMax(Duration.ofSeconds(2))
      .setConcurrency(3072)
      .setInstances(2)
      .setBacklog(10_000);
  }

  /** A local lookup: 30 s timeout; 3 retries backing off 1 s up to 4 s; 2 instances of 1,024 in flight; backlog 10,000. */
  public static StagePolicy localLookup() {
    return new StagePolicy()
      .setTimeout(Duration.ofSeconds(30))
      .setRetries(3)
      .setBackoffInitial(Duration.ofSeconds(1))
      .setBackoffMax(Duration.ofSeconds(4))
      .setConcurrency(1024)
      .setInstances(2)
      .setBacklog(10_000);
  }
}
