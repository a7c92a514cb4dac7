package io.eco2.tests.distributed;

import io.eco2.testkit.Await;
import io.eco2.tests.support.DistributedEnv;
import io.eco2.tests.support.EngineProcess;
import io.eco2.tests.support.PromScrape;
import io.eco2.tests.support.SseClient;
import io.eco2.tests.support.SseRecording;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CONTRACT §4 "A live SSE connection costs no Redis command of its own while idle: the number of Redis
 * connections and commands per API instance does not grow with the number of open streams." One API process
 * holds 1, 100 and 1,000 idle streams on 1,000 jobs that stay in vision (simulated latency × 100, keep-alive
 * every second so keep-alives fall inside the window): its Redis connections are counted ({@code CLIENT LIST},
 * attributed to the API's pid by its sockets) and the Redis commands it sends in a 5 s window are counted
 * with {@code MONITOR} (attributed the same way; {@code INFO stats} is printed too but is server-wide).
 */
class RedisConnectionCountTest {

  private static final int JOBS = 1000;
  private static final long WINDOW_MS = 5000;
  /**
   * The command pool's size. The pool opens connections lazily, up to this bound, when commands overlap
   * (with the default 8, a burst of 100 stream opens took it from 6 to 8 pooled connections): a bound set by
   * configuration, not a cost per stream. A small pool is filled by the submit burst before the first
   * measurement, so the counts compare like with like.
   */
  private static final int POOL = 4;

  @RegisterExtension
  final DistributedEnv env = new DistributedEnv();

  private record Figures(int streams, int connections, long apiCommands, long serverCommands, String apiCommandNames) {
  }

  @Test
  void redisConnectionsAndCommandsOfAnApiDoNotGrowWithOpenStreams(@TempDir Path dir) throws Exception {
    Path conf = env.config("app", new JsonObject()
      .put("sse", new JsonObject().put("keepalive-seconds", 1))
      .put("redis", new JsonObject().put("pool-size", POOL))
      .put("llm", new JsonObject().put("simulated", new JsonObject().put("latency-scale", 100))));
    EngineProcess api = env.start("api", conf, "api");
    env.start("worker", conf, "worker");

    List<String> ids = new ArrayList<>();
    for (int batch = 0; batch < JOBS; batch += 50) {
      List<Future<String>> submits = new ArrayList<>();
      for (int i = batch; i < batch + 50; i++) {
        submits.add(env.web().post(api.port(), "127.0.0.1", "/api/v1/scan").putHeader("Content-Type", "application/json")
          .sendJsonObject(new JsonObject().put("image_url", "https://example.com/photos/idle-" + i + ".jpg"))
          .map(r -> {
            if (r.statusCode() != 200) {
              throw new AssertionError("submit answered " + r.statusCode() + ": " + r.bodyAsString());
            }
            return r.bodyAsJsonObject().getString("job_id");
          }));
      }
      ids.addAll(Await.result(Future.all(submits)).list());
    }
    // Every job handed to the worker (which holds them in vision for minutes): no progress from here on.
    Await.until("every job taken by the worker", () -> env.messageCount(env.prefix() + ".vision") == 0);
    assertThat(env.messageCount(env.prefix() + ".vision")).as("jobs not yet taken by the worker").isZero();

    List<SseRecording> open = new ArrayList<>();
    List<Figures> figures = new ArrayList<>();
    for (int target : List.of(1, 100, 1000)) {
      while (open.size() < target) {
        List<Future<SseRecording>> batch = new ArrayList<>();
        for (int i = open.size(); i < Math.min(target, open.size() + 100); i++) {
          batch.add(env.sse(api.port()).openAsync(SseClient.eventsPath(ids.get(i)), null));
        }
        open.addAll(Await.result(Future.all(batch)).list());
      }
      // Each stream has its history (queued, vision started) before the window starts.
      Await.until("every stream's history received", () -> open.stream().allMatch(r -> r.events().size() >= 2));
      assertThat(open).allSatisfy(r -> assertThat(r.events()).extracting(f -> f.event()).containsExactly("queued", "vision"));
      // A quiet second between opening and measuring is the scenario: the window measures what idle open
      // streams cost, not the tail of their opening.
      Thread.sleep(1000);
      figures.add(measure(api, target, open, dir));
    }

    Figures one = figures.get(0);
    for (Figures f : figures) {
      assertThat(f.connections()).as("Redis connections with " + f.streams() + " streams: pool + live connection")
        .isLessThanOrEqualTo(POOL + 1);
      assertThat(f.connections()).as("Redis connections with " + f.streams() + " streams").isEqualTo(one.connections());
      assertThat(f.apiCommands()).as("API Redis commands in " + WINDOW_MS + " ms with " + f.streams() + " streams (vs "
        + one.apiCommands() + " with 1)").isLessThanOrEqualTo(one.apiCommands() + 5);
    }
    assertThat(open).as("streams still open").allSatisfy(r -> assertThat(r.ended().isComplete()).isFalse());
    assertThat(open.get(0).frames()).as("keep-alives were sent during the windows").anyMatch(f -> f.isComment());
  }

  private Figures measure(EngineProcess api, int streams, List<SseRecording> open, Path dir) throws Exception {
    double active = PromScrape.parse(env.get(api.port(), "/metrics").bodyAsString())
      .samples("scan_sse_connections_active").stream().mapToDouble(PromScrape.Sample::value).sum();
    assertThat(active).as("scan_sse_connections_active").isEqualTo(streams);
    List<Map<String, String>> clients = env.redisClientsOf(api);
    Set<String> addrs = clients.stream().map(c -> c.get("addr")).collect(Collectors.toSet());
    String names = clients.stream().map(c -> c.get("name")).sorted().collect(Collectors.joining(","));

    Path log = dir.resolve("monitor-" + streams + ".txt");
    Process monitor = new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-p", "6379", "monitor")
      .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Await.until("MONITOR's OK", () -> Files.size(log) > 0);
    long totalBefore = env.info("stats", "total_commands_processed");
    // The measurement window itself: commands are counted over this fixed span, not awaited.
    Thread.sleep(WINDOW_MS);
    long totalAfter = env.info("stats", "total_commands_processed");
    monitor.destroy();
    monitor.waitFor();

    Map<String, Integer> byCommand = new LinkedHashMap<>();
    long apiCommands = 0;
    for (String line : Files.readAllLines(log)) {
      int open1 = line.indexOf('[');
      int close1 = line.indexOf(']');
      if (open1 < 0 || close1 < open1) {
        continue;
      }
      String[] who = line.substring(open1 + 1, close1).split(" ");
      if (who.length == 2 && addrs.contains(who[1])) {
        apiCommands++;
        String rest = line.substring(close1 + 1).trim();
        String cmd = rest.startsWith("\"") ? rest.substring(1, Math.max(1, rest.indexOf('"', 1))) : rest;
        byCommand.merge(cmd.toUpperCase(), 1, Integer::sum);
      }
    }
    Figures f = new Figures(streams, clients.size(), apiCommands, totalAfter - totalBefore, byCommand.toString());
    System.out.println("REDIS-CONNECTIONS streams=" + streams + " count=" + clients.size() + " names=" + names);
    System.out.println("REDIS-COMMANDS streams=" + streams + " window-ms=" + WINDOW_MS + " api-commands=" + apiCommands
      + " by-command=" + byCommand + " server-total-commands-delta=" + (totalAfter - totalBefore) + " (server-wide, all clients)");
    return f;
  }
}
