package io.eco2.engine.runtime;

/**
 * Fault injection for crash tests, off unless the JVM was started with
 * {@code -Deco2.faults.submit-halt=<step>}: the process halts ({@link Runtime#halt}, no shutdown hook, as a
 * {@code kill -9} would) when a submit reaches that step, one of {@link #CLAIMED} (idempotency key claimed),
 * {@link #QUEUED} ({@code queued} event logged), {@link #PUBLISHED} (the first stage's message confirmed)
 * and {@link #CONFIRMED} (the key's record marked confirmed). Nothing else reads the property.
 */
final class SubmitFaults {

  static final String PROPERTY = "eco2.faults.submit-halt";
  static final String CLAIMED = "claimed";
  static final String QUEUED = "queued";
  static final String PUBLISHED = "published";
  static final String CONFIRMED = "confirmed";

  private static final String HALT_AT = System.getProperty(PROPERTY, "");
  /** The exit status of a halted process: what a SIGKILL'd one reports (128 + 9). */
  private static final int HALT_STATUS = 137;

  private SubmitFaults() {
  }

  /** Halts the process when {@code step} is the configured one; returns otherwise. */
  static void reached(String step) {
    if (step.equals(HALT_AT)) {
      System.err.println("eco2-pipeline: " + PROPERTY + "=" + step + ": halting at this step of submit");
      System.err.flush();
      Runtime.getRuntime().halt(HALT_STATUS);
    }
  }
}
