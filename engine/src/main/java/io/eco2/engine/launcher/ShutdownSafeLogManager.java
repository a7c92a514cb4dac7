package io.eco2.engine.launcher;

import java.util.logging.LogManager;

/**
 * A JUL log manager that keeps logging during JVM shutdown. The stock one resets (closes every handler) in
 * its own shutdown hook, which races ours and swallows the drain's log lines; this one resets only when
 * the launcher says it is done.
 */
public final class ShutdownSafeLogManager extends LogManager {

  @Override
  public void reset() {
    // Ignored: see resetFinally().
  }

  /** Resets for real, after the launcher's own shutdown work has logged its last line. */
  public static void resetFinally() {
    LogManager manager = LogManager.getLogManager();
    if (manager instanceof ShutdownSafeLogManager safe) {
      safe.doReset();
    }
  }

  private void doReset() {
    super.reset();
  }
}
