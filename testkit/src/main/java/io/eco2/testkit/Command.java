package io.eco2.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external command to its end ({@code rabbitmqctl}, {@code ss}) and returns its output; fails the
 * test on a non-zero exit or when it does not finish within {@link #DEFAULT_TIMEOUT}. For a long-running
 * process, see the tests module's {@code EngineProcess}.
 */
public final class Command {

  /** How long a command may run. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private Command() {
  }

  /** Standard output and error of {@code command}, merged. */
  public static String run(String... command) {
    return run(DEFAULT_TIMEOUT, command);
  }

  public static String run(Duration within, String... command) {
    String line = String.join(" ", command);
    try {
      // Output to a file, not a pipe: a full pipe would block the command and it would never exit.
      java.nio.file.Path output = java.nio.file.Files.createTempFile("eco2-command-", ".out");
      try {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!p.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          throw new AssertionError(line + " did not finish within " + within.toSeconds() + " s");
        }
        String text = java.nio.file.Files.readString(output, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
          throw new AssertionError(line + " exited " + p.exitValue() + ": " + text);
        }
        return text;
      } finally {
        java.nio.file.Files.deleteIfExists(output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(line + ": interrupted", e);
    } catch (AssertionError e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError(line + " could not be run: " + e, e);
    }
  }
}
