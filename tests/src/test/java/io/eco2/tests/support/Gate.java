package io.eco2.tests.support;

import io.eco2.tests.stages.ProbeStage;

import java.util.UUID;

/**
 * A uniquely named {@link ProbeStage} gate for one test. Closing it opens the gate, so a
 * try-with-resources block never leaves an execution waiting on it when the test fails.
 */
public final class Gate implements AutoCloseable {

  private final String name = "gate-" + UUID.randomUUID();

  public Gate() {
    ProbeStage.gate(name);
  }

  /** The gate's name, for a {@code gate=NAME} directive. */
  public String name() {
    return name;
  }

  /** The directive that makes every probe stage (or, with a prefix, one stage) wait on this gate. */
  public String directive() {
    return "gate=" + name;
  }

  public String directive(String stage) {
    return stage + ".gate=" + name;
  }

  public void open() {
    ProbeStage.open(name);
  }

  @Override
  public void close() {
    open();
  }
}
