package io.eco2.tests.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fat jar running as a separate process ({@code java -jar eco2-pipeline.jar --config F --role R}), as an
 * operator starts it: collects its output, finds the port in its ready line, and can be stopped with SIGTERM
 * or killed with SIGKILL. The tests' one process runner: {@link DistributedEnv} starts its processes with it,
 * end-to-end tests start the jar with any arguments ({@link #run}).
 */
public final class EngineProcess implements AutoCloseable {

  public static final Path JAR = Path.of("..", "stages", "target", "eco2-pipeline.jar").toAbsolutePath().normalize();
  private static final Pattern READY = Pattern.compile("ready on http://[^:]+:(\\d+)");
  /** How long a start may take: a JVM starting on a loaded machine (several engines start at once in a test). */
  public static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

  private final String label;
  private final String role;
  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final Thread reader;

  private EngineProcess(String label, String role, Process process) {
    this.label = label;
    this.role = role;
    this.process = process;
    this.reader = new Thread(this::read, "jar-output-" + label);
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code --config config --role role} with the given extra environment (may be empty). */
  public static EngineProcess start(String label, Path config, String role, Map<String, String> env) throws IOException {
    return run(label, role, List.of("--config", config.toString(), "--role", role), env);
  }

  /**
   * Writes {@code yaml} to {@code dir/application.yaml} and starts the jar with {@code --config} that file and
   * no role (every role in one process, as a new user runs it).
   */
  public static EngineProcess withConfig(String label, Path dir, String yaml) throws IOException {
    Path config = Files.writeString(dir.resolve("application.yaml"), yaml);
    return run(label, "--config", config.toString());
  }

  /** Starts the jar with exactly {@code args} (a bad argument, a role-less start), in a clean environment. */
  public static EngineProcess run(String label, String... args) throws IOException {
    return run(label, null, List.of(args), Map.of());
  }

  private static EngineProcess run(String label, String role, List<String> args, Map<String, String> env) throws IOException {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing: build it with 'mvn package' (the stages module packages it)");
    }
    // env --default-signal=INT: a process started from a background job inherits SIGINT as ignored, and a
    // JVM never handles a signal that was ignored when it started, so the SIGINT drain could not be tested.
    List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT",
      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-Xmx512m", "-jar", JAR.toString()));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("ECO2_"));
    pb.environment().putAll(env);
    return new EngineProcess(label, role, pb.start());
  }

  public static EngineProcess start(String label, Path config, String role) throws IOException {
    return start(label, config, role, Map.of());
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
      port.completeExceptionally(new IllegalStateException(label + " exited before it was ready:\n" + output()));
    }
  }

  /** The port from the ready line; fails if the process exits first or is not ready within 60 s. */
  public int awaitReady() throws Exception {
    try {
      return port.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(label + " not ready within " + READY_TIMEOUT.toSeconds() + " s:\n" + tail(40));
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError(e.getCause().getMessage(), e.getCause());
    }
  }

  /** The port of a process that is ready (after {@link #awaitReady()}). */
  public int port() {
    return port.join();
  }

  public long pid() {
    return process.pid();
  }

  /** The {@code --role} it was started with, or null when it was started without one. */
  public String role() {
    return role;
  }

  public String label() {
    return label;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM, through the handle (Process.destroy() would also close our end of its output). */
  public void terminate() {
    process.toHandle().destroy();
  }

  /** SIGKILL: the process gets no chance to ack, nack or close anything. Waits until it is gone. */
  public void kill9() throws InterruptedException {
    process.toHandle().destroyForcibly();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      throw new AssertionError(label + " survived SIGKILL for 15 s");
    }
  }

  /** The exit code, once the process ended (at most {@link #READY_TIMEOUT}: a JVM on a loaded machine). */
  public int awaitExit() throws InterruptedException {
    return awaitExit(READY_TIMEOUT.toSeconds());
  }

  public int awaitExit(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError(label + " did not exit within " + seconds + " s:\n" + tail(40));
    }
    reader.join(5000);
    return process.exitValue();
  }

  public String output() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  /** The last {@code n} output lines, for failure messages. */
  public String tail(int n) {
    synchronized (lines) {
      return label + " (pid " + pid() + "), last lines:\n"
        + String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }
  }

  public List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /** Kills the process (SIGKILL) if it still runs and waits for it; safe to call twice. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.toHandle().destroyForcibly();
      try {
        process.waitFor(15, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
