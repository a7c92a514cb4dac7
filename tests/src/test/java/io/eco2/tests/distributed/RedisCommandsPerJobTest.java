package io.eco2.tests.distributed;

import io.eco2.testkit.Await;
import io.eco2.tests.support.DistributedEnv;
import io.eco2.tests.support.EngineProcess;
import io.eco2.tests.support.SseFrame;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14: the Redis commands one completed job costs in distributed mode, counted with {@code MONITOR}
 * while an API process and a worker process run jobs the way the load generator's users do (submit with an
 * idempotency key, follow the stream to {@code done}, fetch the result).
 *
 * <p>A command belongs to a job when it names one of the job's keys (events, state, result) or its
 * idempotency key: periodic commands (readiness {@code PING}, worker reports) do not grow with jobs and
 * are printed apart; other users of the shared Redis name none of this test's keys. Two counts: commands
 * the processes <em>send</em> (a script call counts once) and commands Redis <em>executes</em> (also each
 * command a script runs, as {@code INFO commandstats} counts them; the scripts' {@code TIME}, which names
 * no key, is counted once per script call, as {@code transition.lua} calls it). The target (≤ 25 per job)
 * is on what the processes send; the executed count is printed for the benchmark report.
 */
class RedisCommandsPerJobTest {

  private static final int JOBS = 20;
  private static final int SENT_PER_JOB_TARGET = 25;

  @RegisterExtension
  final DistributedEnv env = new DistributedEnv();

  @Test
  void aCompletedJobCostsAtMostTwentyFiveRedisCommandsSentByTheEngine(@TempDir Path dir) throws Exception {
    Path conf = env.config("app", new JsonObject()
      .put("llm", new JsonObject().put("simulated", new JsonObject().put("latency-scale", 0.01))));
    EngineProcess api = env.start("api", conf, "api");
    env.start("worker", conf, "worker");

    Path log = dir.resolve("monitor.txt");
    Process monitor = new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-p", "6379", "monitor")
      .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    // MONITOR's "OK": from here on every command is in the file
    Await.until("redis-cli monitor's OK in " + log, () -> Files.size(log) > 0);
    List<String> keys = new ArrayList<>();
    try {
      for (int i = 0; i < JOBS; i++) {
        String idempotencyKey = UUID.randomUUID().toString();
        keys.add(idempotencyKey);
        keys.add(runLikeAUser(api.port(), "https://example.com/photos/bottle-" + i + ".jpg", idempotencyKey));
      }
      // The last writes (PUBLISH of done, the result GET) are in MONITOR's output before it is stopped.
      env.redis("PING");
    } finally {
      monitor.destroy();
      monitor.waitFor();
    }

    Map<String, Integer> sent = new TreeMap<>();
    Map<String, Integer> executed = new TreeMap<>();
    Map<String, Integer> periodic = new TreeMap<>();
    for (String line : Files.readAllLines(log)) {
      int open = line.indexOf('[');
      int close = line.indexOf(']');
      if (open < 0 || close < open) {
        continue;
      }
      String rest = line.substring(close + 1).trim();
      String command = rest.startsWith("\"") ? rest.substring(1, Math.max(1, rest.indexOf('"', 1))).toUpperCase() : rest;
      boolean fromScript = line.substring(open, close).contains("lua");
      if (keys.stream().anyMatch(rest::contains)) {
        executed.merge(command, 1, Integer::sum);
        if (!fromScript) {
          sent.merge(command, 1, Integer::sum);
        }
      } else if (rest.contains(env.prefix()) || "\"PING\"".equals(rest)) {
        periodic.merge(command, 1, Integer::sum);
      }
    }
    executed.merge("TIME", sent.getOrDefault("EVALSHA", 0), Integer::sum);
    double sentPerJob = total(sent) / (double) JOBS;
    double executedPerJob = total(executed) / (double) JOBS;
    System.out.printf("REDIS-COMMANDS-PER-JOB jobs=%d sent=%.2f %s executed=%.2f %s periodic(total, not per job)=%s%n",
      JOBS, sentPerJob, sent, executedPerJob, executed, periodic);

    assertThat(sentPerJob).as("Redis commands sent per completed job: %s", sent).isLessThanOrEqualTo(SENT_PER_JOB_TARGET);
    assertThat(executed.getOrDefault("XRANGE", 0)).as("no history read: the checkpoint travels with the work (%s)", executed)
      .isLessThanOrEqualTo(JOBS);
  }

  // One user iteration: submit, stream to the terminal frame, fetch the result; answers the job id.
  private String runLikeAUser(int port, String image, String idempotencyKey) {
    HttpResponse<Buffer> submit = Await.result(env.web().post(port, "127.0.0.1", "/api/v1/scan")
      .putHeader("Content-Type", "application/json").putHeader("X-Idempotency-Key", idempotencyKey)
      .sendJsonObject(new JsonObject().put("image_url", image)));
    assertThat(submit.statusCode()).as("submit: %s", submit.bodyAsString()).isEqualTo(200);
    String job = submit.bodyAsJsonObject().getString("job_id");
    List<SseFrame> events = env.stream(port, job, null).awaitEnd().stream().filter(SseFrame::isEvent).toList();
    assertThat(events).as("job %s", job).isNotEmpty();
    assertThat(events.get(events.size() - 1).event()).as("job %s ends with done", job).isEqualTo("done");
    assertThat(env.get(port, "/api/v1/scan/" + job + "/result").statusCode()).isEqualTo(200);
    return job;
  }

  private static int total(Map<String, Integer> counts) {
    return counts.values().stream().mapToInt(Integer::intValue).sum();
  }
}
