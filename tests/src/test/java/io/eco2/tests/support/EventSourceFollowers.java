package io.eco2.tests.support;

import io.eco2.testkit.Await;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Browser-like clients: a node process ({@code src/test/node/follow.mjs}) holding one WHATWG EventSource (the
 * {@code eventsource} npm package) per job it is told to follow. Each reconnects by itself with
 * {@code Last-Event-ID}, as a browser would; the test only reads, at the end, every frame each one delivered.
 *
 * <p>Needs {@code scripts/install-node-deps.sh} (run by CI before the tests): without its
 * {@code node_modules} the constructor fails saying so.
 */
public final class EventSourceFollowers implements AutoCloseable {

  static final Path DIR = Path.of("src", "test", "node").toAbsolutePath();

  private final Process node;
  private final Writer stdin;
  private final Path out;
  private final Path log;
  private final List<String> followed = new ArrayList<>();

  /** One job's stream as its EventSource delivered it, across every reconnect. */
  public record Followed(String jobId, List<HistoryCheck.Step> steps, int opens, boolean gaveUp) {
  }

  /** Starts the clients against {@code baseUrl} (such as {@code http://127.0.0.1:8080}). */
  public EventSourceFollowers(String baseUrl) throws IOException {
    if (!Files.isDirectory(DIR.resolve("node_modules").resolve("eventsource"))) {
      throw new IllegalStateException("the eventsource npm package is not installed in " + DIR
        + ": run scripts/install-node-deps.sh first");
    }
    out = Files.createTempFile("eco2-followers-", ".json");
    log = Files.createTempFile("eco2-followers-", ".log");
    node = new ProcessBuilder("node", DIR.resolve("follow.mjs").toString(), baseUrl, out.toString())
      .directory(DIR.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    stdin = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8);
  }

  /** Opens an EventSource on the job's events. */
  public synchronized void follow(String jobId) {
    try {
      stdin.write(jobId + "\n");
      stdin.flush();
      followed.add(jobId);
    } catch (IOException e) {
      throw new UncheckedIOException("the EventSource clients' process is gone: " + tail(), e);
    }
  }

  /**
   * No more jobs: waits (at most {@code within}) until every EventSource has its job's terminal event or gave
   * up, and returns what each delivered. At the bound, returns what was delivered by then.
   */
  public Map<String, Followed> awaitAll(Duration within) throws Exception {
    synchronized (this) {
      stdin.write("END\n");
      stdin.flush();
    }
    if (!node.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      // SIGTERM: the script writes what it has so far.
      node.destroy();
      Await.until("the EventSource clients wrote what they received", () -> !node.isAlive());
    }
    if (Files.size(out) == 0) {
      throw new AssertionError("the EventSource clients wrote nothing (exit " + node.exitValue() + "): " + tail());
    }
    JsonObject all = new JsonObject(Files.readString(out));
    Map<String, Followed> result = new TreeMap<>();
    for (String id : all.fieldNames()) {
      JsonObject job = all.getJsonObject(id);
      List<HistoryCheck.Step> steps = new ArrayList<>();
      for (Object o : job.getJsonArray("frames")) {
        JsonObject f = (JsonObject) o;
        JsonObject data = new JsonObject(f.getString("data"));
        steps.add(new HistoryCheck.Step(f.getString("id"), f.getString("event"), data.getString("status"),
          data.getLong("seq", -1L)));
      }
      result.put(id, new Followed(id, steps, job.getInteger("opens"), job.getBoolean("closed")));
    }
    return result;
  }

  /** The clients' last status lines (for failure messages). */
  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws IOException {
    node.destroyForcibly();
    Files.deleteIfExists(out);
    Files.deleteIfExists(log);
  }
}
