package io.eco2.tests.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fat jar running as a separate process, as a user starts it: {@code java -jar eco2-pipeline.jar}.
 * Collects its output lines and finds the port in its ready line.
 */
final class JarProcess implements AutoCloseable {

  static final Path JAR = Path.of("..", "stages", "target", "eco2-pipeline.jar").toAbsolutePath().normalize();
  private static final Pattern READY = Pattern.compile("ready on http://[^:]+:(\\d+)");

  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private final CompletableFuture<Integer> port = new CompletableFuture<>();

  private final Thread reader;

  private JarProcess(Process process) {
    this.process = process;
    this.reader = new Thread(this::read, "jar-output");
    reader.setDaemon(true);
    reader.start();
  }

  static JarProcess start(String... args) throws IOException {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing: build it with 'mvn verify' (the stages module packages it)");
    }
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-jar", JAR.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("ECO2_"));
    return new JarProcess(pb.start());
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        synchronized (lines) {
          lines.add(line);
        }
        Matcher m = READY.matcher(line);
        if (m.find()) {
          port.complete(Integer.parseInt(m.group(1)));
        }
      }
    } catch (IOException ignored) {
      // the process ended
    } finally {
      port.completeExceptionally(new IllegalStateException("the engine exited before it was ready:\n" + output()));
    }
  }

  /** The port from the ready line; fails if the process exits first. */
  int awaitReady() throws Exception {
    return port.get(60, TimeUnit.SECONDS);
  }

  /** Sends SIGTERM (through the handle: Process.destroy() would also close our end of its output). */
  void terminate() {
    process.toHandle().destroy();
  }

  int awaitExit(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError("the engine did not exit within " + seconds + " s:\n" + output());
    }
    // The pipe may still hold the last lines when the process is gone.
    reader.join(5000);
    return process.exitValue();
  }

  String output() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
