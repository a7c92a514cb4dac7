package io.eco2.tests.distributed;

import io.eco2.testkit.Await;
import io.eco2.tests.support.DistributedEnv;
import io.eco2.tests.support.EngineProcess;
import io.eco2.tests.support.EventSourceFollowers;
import io.eco2.tests.support.EventSourceFollowers.Followed;
import io.eco2.tests.support.HistoryCheck;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12's chaos run, CONTRACT §1 "every job ends with done or error, and its client sees it": distributed
 * mode, an API and two workers, {@value #JOBS} jobs submitted over about forty seconds and each followed by
 * a WHATWG EventSource that resumes by itself, while a worker is killed with -9, every RabbitMQ and Redis
 * connection is dropped, the API is killed with -9 and started again on its port, and another worker is sent
 * SIGTERM (replacements start for both workers). Submits that meet the dead API are retried with the same
 * {@code X-Idempotency-Key}, as a client would.
 *
 * <p>Every job's client must have received its whole history exactly once: no gap, no duplicate, exactly one
 * terminal frame, none stuck; and it equals the job's stream in Redis. A kill at each step of submit is
 * {@code CrashSafeSubmitTest}'s.
 */
class ChaosTest {

  private static final int JOBS = 500;
  private static final long SPACING_MS = 80;

  @RegisterExtension
  final DistributedEnv env = new DistributedEnv();

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void everyJobEndsOnceAndItsEventSourceSeesItsWholeHistoryThroughKillsAndDroppedConnections() throws Exception {
    int port = freePort();
    Path conf = env.config("app", new JsonObject()
      .put("pipeline", new JsonObject().put("drain-seconds", 5))
      .put("sse", new JsonObject().put("retry-ms", 500))
      .put("llm", new JsonObject().put("simulated", new JsonObject().put("latency-scale", 0.25))));
    Path apiConf = env.config("api", new JsonObject(Files.readString(conf)).put("http", new JsonObject().put("port", port)));
    EngineProcess api = env.start("api", apiConf, "api");
    EngineProcess w1 = env.start("worker-1", conf, "worker");
    EngineProcess w2 = env.start("worker-2", conf, "worker");
    List<String> brokerPids = new ArrayList<>();
    brokerPids.addAll(DistributedEnv.rabbitConnectionPids(w1));
    brokerPids.addAll(DistributedEnv.rabbitConnectionPids(w2));

    Map<String, String> counts = new TreeMap<>();
    List<String> ids = new ArrayList<>();
    CompletableFuture<EngineProcess> restarted = null;
    try (EventSourceFollowers clients = new EventSourceFollowers("http://127.0.0.1:" + port)) {
      for (int i = 0; i < JOBS; i++) {
        // The schedule of faults is the scenario, spread over the run so that they find jobs at every stage.
        if (i == 100) {
          w1.kill9();
          counts.put("worker-killed-9-at-job", Integer.toString(i));
          env.start("worker-3", conf, "worker");
        } else if (i == 200) {
          brokerPids.addAll(DistributedEnv.rabbitConnectionPids(api));
          int redis = 0;
          for (EngineProcess p : List.of(api, w2)) {
            redis += env.killRedisClientsOf(p);
          }
          DistributedEnv.closeRabbitConnections(brokerPids);
          counts.put("connections-dropped-at-job", i + " (redis " + redis + ", rabbitmq " + brokerPids.size() + ")");
        } else if (i == 300) {
          api.kill9();
          counts.put("api-killed-9-at-job", Integer.toString(i));
          // Started in the background: the next submits meet no API and are retried, as clients would.
          restarted = CompletableFuture.supplyAsync(() -> {
            try {
              return env.start("api-restarted", apiConf, "api");
            } catch (Exception e) {
              throw new CompletionException(e);
            }
          });
        } else if (i == 400) {
          api = restarted.join();
          w2.terminate();
          counts.put("worker-sigterm-at-job", Integer.toString(i));
          env.start("worker-4", conf, "worker");
        }
        String id = submitRetrying(port, "chaos-" + env.prefix() + "-" + i, "https://example.com/photos/thing-" + i + ".jpg");
        ids.add(id);
        clients.follow(id);
        Thread.sleep(SPACING_MS); // spacing the arrivals is the scenario (a steady trickle of users), not a wait
      }
      Map<String, Followed> seen = clients.awaitAll(Duration.ofSeconds(90));

      int done = 0;
      int failed = 0;
      int reconnected = 0;
      List<String> problems = new ArrayList<>();
      for (String id : ids) {
        Followed f = seen.get(id);
        if (f == null || f.steps().isEmpty()) {
          problems.add(id + ": its EventSource received nothing");
          continue;
        }
        if (f.gaveUp()) {
          problems.add(id + ": its EventSource gave up (a non-200 answer) after " + f.steps().size() + " events");
          continue;
        }
        String last = f.steps().get(f.steps().size() - 1).stage();
        try {
          HistoryCheck.assertWhole("job " + id + " as its EventSource saw it (" + f.opens() + " connection(s))",
            f.steps(), "error".equals(last) ? "error" : "done");
          assertThat(f.steps()).as("job %s: what its EventSource saw is its stream in Redis", id)
            .isEqualTo(HistoryCheck.fromStream(env.xrange(id)));
        } catch (AssertionError e) {
          problems.add(e.getMessage());
          continue;
        }
        if ("done".equals(last)) {
          done++;
        } else {
          failed++;
        }
        if (f.opens() > 1) {
          reconnected++;
        }
      }
      counts.put("jobs", Integer.toString(JOBS));
      counts.put("done", Integer.toString(done));
      counts.put("error", Integer.toString(failed));
      counts.put("eventsources-that-reconnected", Integer.toString(reconnected));
      counts.put("problems", Integer.toString(problems.size()));
      System.out.println("CHAOS " + counts);
      assertThat(problems).as("jobs whose client did not see exactly one whole history (" + clients.tail() + ")").isEmpty();
      assertThat(reconnected).as("EventSources that had to reconnect (the API was killed)").isPositive();
    }
  }

  // A client's submit: the same idempotency key again while the API is down or restarting (bounded).
  private String submitRetrying(int port, String key, String imageUrl) {
    JsonObject body = new JsonObject().put("image_url", imageUrl);
    String[] id = new String[1];
    Await.until(Duration.ofSeconds(60), "submit " + key + " accepted", () -> {
      Future<HttpResponse<Buffer>> r = env.web().post(port, "127.0.0.1", "/api/v1/scan")
        .putHeader("Content-Type", "application/json").putHeader("X-Idempotency-Key", key).sendBuffer(body.toBuffer());
      try {
        HttpResponse<Buffer> response = Await.result(r);
        if (response.statusCode() == 200) {
          id[0] = response.bodyAsJsonObject().getString("job_id");
          return true;
        }
        return false;
      } catch (RuntimeException | AssertionError e) {
        return false; // connection refused while the API restarts
      }
    });
    return id[0];
  }
}
