package io.eco2.tests.distributed;

import io.eco2.testkit.Await;
import io.eco2.tests.support.DistributedEnv;
import io.eco2.tests.support.EngineProcess;
import io.eco2.tests.support.HistoryCheck;
import io.eco2.tests.support.Jobs;
import io.eco2.tests.support.SseFrame;
import io.eco2.tests.support.SseRecording;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broker and Redis drop every connection of the API and both workers mid-run (RabbitMQ
 * {@code close_connection}, Redis {@code CLIENT KILL}): the processes reconnect, every job finishes, and every
 * stream that was open resumes exactly: what one SSE client received, plus what it received after
 * reconnecting with {@code Last-Event-ID} whenever its stream broke off, is the whole history with no gap and
 * no duplicate.
 */
class ConnectionDropTest {

  private static final int JOBS = 30;

  @RegisterExtension
  final DistributedEnv env = new DistributedEnv();

  @Test
  void droppedBrokerAndRedisConnectionsAreReconnectedAndEveryStreamResumesExactly() throws Exception {
    Path conf = env.config("app", new JsonObject()
      .put("llm", new JsonObject().put("simulated", new JsonObject().put("latency-scale", 0.6))));
    EngineProcess api = env.start("api", conf, "api");
    EngineProcess w1 = env.start("worker-1", conf, "worker");
    EngineProcess w2 = env.start("worker-2", conf, "worker");

    // The broker's ids of the three processes' connections, looked up before the run (rabbitmqctl is slow).
    List<String> brokerPids = new ArrayList<>();
    brokerPids.addAll(DistributedEnv.rabbitConnectionPids(api));
    brokerPids.addAll(DistributedEnv.rabbitConnectionPids(w1));
    brokerPids.addAll(DistributedEnv.rabbitConnectionPids(w2));
    assertThat(brokerPids).as("RabbitMQ connections of the three processes").hasSizeGreaterThanOrEqualTo(3);

    List<String> ids = new ArrayList<>();
    Map<String, SseRecording> first = new LinkedHashMap<>();
    for (int i = 0; i < JOBS; i++) {
      String id = env.submit(api.port(), "https://example.com/photos/thing-" + i + ".jpg");
      ids.add(id);
      first.put(id, env.stream(api.port(), id, null));
      // Spacing the arrivals is the scenario (jobs at every stage when the connections drop), not a wait.
      Thread.sleep(40);
    }
    // Drop everything while jobs are mid-flight (the first vision results are in).
    Await.until("a first vision result streamed", () -> first.values().stream().anyMatch(r -> r.events().stream()
      .anyMatch(f -> "vision".equals(f.event()) && "completed".equals(f.json().getString("status")))));
    int redisKilled = 0;
    for (EngineProcess p : List.of(api, w1, w2)) {
      redisKilled += env.killRedisClientsOf(p);
    }
    DistributedEnv.closeRabbitConnections(brokerPids);
    long unfinished = first.values().stream().filter(r -> !Jobs.terminalSeen(r.frames())).count();
    System.out.println("CONNECTION-DROP redis-connections-killed=" + redisKilled + " rabbit-connections-closed=" + brokerPids.size()
      + " jobs-unfinished-after-both-drops=" + unfinished);
    assertThat(redisKilled).as("Redis connections of the three processes killed").isGreaterThanOrEqualTo(6);
    assertThat(DistributedEnv.rabbitConnectionPids(api)).as("the API's old connection is gone")
      .doesNotContainAnyElementsOf(brokerPids);
    assertThat(unfinished).as("jobs still running after both outages").isPositive();

    int resumed = 0;
    for (String id : ids) {
      List<List<HistoryCheck.Step>> parts = new ArrayList<>();
      List<SseFrame> frames = first.get(id).awaitEnd();
      parts.add(HistoryCheck.fromFrames(frames));
      // A stream that broke off without its terminal frame is resumed, as an EventSource would (bounded).
      for (int attempt = 0; !Jobs.terminalSeen(frames) && attempt < 5; attempt++) {
        resumed++;
        frames = env.stream(api.port(), id, Jobs.lastEventId(frames)).awaitEnd();
        parts.add(HistoryCheck.fromFrames(frames));
      }
      List<HistoryCheck.Step> concatenated = parts.stream().flatMap(List::stream).toList();
      // Concatenation, not union: a frame received twice across reconnects would show here.
      HistoryCheck.assertWhole("SSE of " + id + " over " + parts.size() + " connection(s)", concatenated, "done");
      assertThat(concatenated).isEqualTo(HistoryCheck.fromStream(env.xrange(id)));
    }
    System.out.println("CONNECTION-DROP jobs=" + JOBS + " all-done resumed-streams=" + resumed);

    // Everything is connected again: each process has its RabbitMQ connection back and Redis connections.
    Await.until("the API's RabbitMQ and live Redis connections back", () -> !DistributedEnv.rabbitConnectionPids(api).isEmpty()
      && env.redisClientsOf(api).stream().anyMatch(c -> "eco2-live".equals(c.get("name"))));
    assertThat(DistributedEnv.rabbitConnectionPids(api)).isNotEmpty();
    assertThat(DistributedEnv.rabbitConnectionPids(w1)).isNotEmpty();
    assertThat(DistributedEnv.rabbitConnectionPids(w2)).isNotEmpty();
    assertThat(env.redisClientsOf(api)).extracting(c -> c.get("name")).contains("eco2-live");
    assertThat(env.get(api.port(), "/health/ready").statusCode()).isEqualTo(200);
    // And new work flows through the re-established connections.
    String after = env.submit(api.port(), "https://example.com/photos/after-drop.jpg");
    HistoryCheck.assertWhole("job after the drop", HistoryCheck.fromFrames(env.sse(api.port()).toEnd(after)), "done");
  }
}
