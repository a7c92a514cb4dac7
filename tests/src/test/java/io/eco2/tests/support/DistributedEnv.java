package io.eco2.tests.support;

import io.eco2.testkit.Await;
import io.eco2.testkit.Command;
import io.eco2.testkit.RabbitScope;
import io.eco2.testkit.RedisScope;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * JUnit 5 extension for distributed-mode tests, one world per test:
 * {@code @RegisterExtension final DistributedEnv env = new DistributedEnv();}. Each test gets a prefix of its
 * own for Redis keys and RabbitMQ queues, the engine processes it starts ({@link #start}, all killed when it
 * ends), and the real local RabbitMQ (127.0.0.1:5672) and Redis (127.0.0.1:6379) seen from outside: queues,
 * messages, connections, keys. When the test ends it kills the processes, deletes its queues and every Redis
 * key under its prefix, and closes its Vert.x instance.
 *
 * <p>Connections are attributed to a process by its pid: RabbitMQ connections by their name
 * {@code eco2-<role>-<pid>}, Redis connections by the local ports that {@code ss -tnp} shows for the pid (the
 * engine names every Redis connection {@code eco2}/{@code eco2-live}, whichever process holds it, and other
 * test runs may share the server).
 */
public final class DistributedEnv implements BeforeEachCallback, AfterEachCallback {

  public static final List<String> STAGES = List.of("vision", "rule", "answer", "reward");

  private final List<EngineProcess> processes = new CopyOnWriteArrayList<>();
  private final Map<Integer, SseClient> sseClients = new ConcurrentHashMap<>();
  private Vertx vertx;
  private Path dir;
  private RedisScope redis;
  private RabbitScope rabbit;
  private WebClient web;

  /** For {@code @RegisterExtension}: the world is made before each test and removed after it. */
  public DistributedEnv() {
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    vertx = Vertx.vertx();
    dir = Files.createTempDirectory("eco2-distributed-");
    redis = new RedisScope(vertx);
    rabbit = new RabbitScope(redis.prefix());
    for (String s : STAGES) {
      rabbit.queue(s);
      rabbit.queue(s + ".retry");
      rabbit.queue(s + ".dlq");
    }
    web = WebClient.create(vertx);
  }

  /** Kills every process this test started, deletes its queues and Redis keys. */
  @Override
  public void afterEach(ExtensionContext context) {
    processes.forEach(EngineProcess::close);
    processes.clear();
    sseClients.values().forEach(SseClient::close);
    sseClients.clear();
    try {
      rabbit.deleteQueues(rabbit.queuesUnderPrefix()); // the delay queues too, whose names follow the policies
    } catch (RuntimeException | AssertionError e) {
      // best effort: the queues named at open are deleted below in any case
    }
    rabbit.close();
    redis.close();
    web.close();
    Await.result(vertx.close(), "test Vert.x closed");
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory: best effort
    }
  }

  /** The prefix of this test's Redis keys and RabbitMQ queues. */
  public String prefix() {
    return redis.prefix();
  }

  public Vertx vertx() {
    return vertx;
  }

  public WebClient web() {
    return web;
  }

  // ---------------------------------------------------------------- processes

  /**
   * Writes a configuration file: distributed mode, any free port, this test's prefixes, then
   * {@code overrides} merged deeply (JSON is YAML, so the engine's loader validates it as a user's file).
   */
  public Path config(String name, JsonObject overrides) {
    JsonObject conf = new JsonObject()
      .put("mode", "distributed")
      .put("http", new JsonObject().put("port", 0))
      .put("redis", new JsonObject().put("key-prefix", prefix()))
      .put("rabbitmq", new JsonObject().put("queue-prefix", prefix()))
      .mergeIn(overrides, true);
    Path file = dir.resolve(name + ".yaml");
    try {
      Files.writeString(file, conf.encodePrettily());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Starts a process with {@code --role role}, waits for its ready line, and kills it when the test ends. */
  public EngineProcess start(String label, Path config, String role) throws Exception {
    return start(label, config, role, Map.of());
  }

  /** {@link #start(String, Path, String)} with extra environment variables (e.g. {@code JAVA_TOOL_OPTIONS}). */
  public EngineProcess start(String label, Path config, String role, Map<String, String> environment) throws Exception {
    EngineProcess p = EngineProcess.start(label, config, role, environment);
    processes.add(p);
    p.awaitReady();
    return p;
  }

  /** The last lines of every process this test started, for failure messages. */
  public String logs() {
    StringBuilder sb = new StringBuilder();
    for (EngineProcess p : processes) {
      sb.append("\n---- ").append(p.tail(25));
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------- HTTP

  /** Submits a scan to the API on {@code port} and returns its job id (fails unless 200). */
  public String submit(int port, String imageUrl) {
    HttpResponse<Buffer> r = Await.result(web.post(port, "127.0.0.1", "/api/v1/scan")
      .putHeader("Content-Type", "application/json")
      .sendJsonObject(new JsonObject().put("image_url", imageUrl)), "submit to " + port);
    if (r.statusCode() != 200) {
      throw new AssertionError("submit answered " + r.statusCode() + ": " + r.bodyAsString());
    }
    return r.bodyAsJsonObject().getString("job_id");
  }

  public HttpResponse<Buffer> get(int port, String path) {
    return Await.result(web.get(port, "127.0.0.1", path).send(), "GET " + path + " on " + port);
  }

  /**
   * The SSE client of the API at {@code port} (one per port, closed with the environment), holding up to
   * 2,000 streams at once.
   */
  public SseClient sse(int port) {
    return sseClients.computeIfAbsent(port, p -> new SseClient(vertx, p, 2000));
  }

  /** Opens a job's stream on the API at {@code port}, resuming after {@code lastEventId} when not null. */
  public SseRecording stream(int port, String jobId, String lastEventId) {
    return sse(port).open(jobId, null, lastEventId == null ? null : SseClient.lastEventId(lastEventId));
  }

  // ---------------------------------------------------------------- Redis

  /** Sends one command from the test's own client (not one of the engine's connections). */
  public Response redis(String command, Object... args) {
    return redis.cmd(command, args);
  }

  /** The job's stream entries as the engine logged them: {@code id} plus the entry's fields. */
  public List<JsonObject> xrange(String jobId) {
    Response r = redis("XRANGE", prefix() + ":events:" + jobId, "-", "+");
    List<JsonObject> out = new ArrayList<>();
    if (r == null) {
      return out;
    }
    for (Response entry : r) {
      JsonObject e = new JsonObject().put("id", entry.get(0).toString());
      Response fields = entry.get(1);
      for (int i = 0; i + 1 < fields.size(); i += 2) {
        e.put(fields.get(i).toString(), fields.get(i + 1).toString());
      }
      out.add(e);
    }
    return out;
  }

  /** Every key under this test's prefix. */
  public List<String> keys() {
    return redis.keys();
  }

  /** {@code CLIENT LIST}, one map of fields per connection. */
  public List<Map<String, String>> clientList() {
    return redis.clientList();
  }

  /** The Redis connections that process {@code p} holds (matched by the local ports of its TCP sockets). */
  public List<Map<String, String>> redisClientsOf(EngineProcess p) {
    Set<String> addrs = new HashSet<>();
    for (int port : localPorts(p.pid(), 6379)) {
      addrs.add("127.0.0.1:" + port);
    }
    List<Map<String, String>> out = new ArrayList<>();
    for (Map<String, String> c : clientList()) {
      if (addrs.contains(c.get("addr"))) {
        out.add(c);
      }
    }
    return out;
  }

  /** Kills (CLIENT KILL ID) every Redis connection of {@code p}; returns how many. */
  public int killRedisClientsOf(EngineProcess p) {
    return redis.kill(redisClientsOf(p).stream().map(c -> Long.parseLong(c.get("id"))).toList());
  }

  /** Local ports of the established TCP connections from process {@code pid} to {@code remotePort}. */
  public static Set<Integer> localPorts(long pid, int remotePort) {
    Set<Integer> ports = new HashSet<>();
    // With a state filter, ss omits the State column: Recv-Q Send-Q Local Peer Process.
    Pattern line = Pattern.compile("^\\s*\\d+\\s+\\d+\\s+\\S+:(\\d+)\\s+\\S+:(\\d+)\\s+.*pid=" + pid + ",");
    for (String l : Command.run("ss", "-tnpH", "state", "established").split("\n")) {
      Matcher m = line.matcher(l);
      if (m.find() && Integer.parseInt(m.group(2)) == remotePort) {
        ports.add(Integer.parseInt(m.group(1)));
      }
    }
    return ports;
  }

  /** A field of an {@code INFO} section, e.g. {@code info("stats", "total_commands_processed")}. */
  public long info(String section, String field) {
    return redis.info(section, field);
  }

  // ---------------------------------------------------------------- RabbitMQ

  /** Messages ready in a queue (passive declare; fails if the queue does not exist). */
  public long messageCount(String queue) throws Exception {
    return rabbit.messageCount(queue);
  }

  /** Takes one message from a queue and acknowledges it (null when the queue is empty). */
  public com.rabbitmq.client.GetResponse basicGet(String queue) throws Exception {
    return rabbit.basicGet(queue);
  }

  /**
   * The broker-side ids of process {@code p}'s RabbitMQ connections, which the engine names
   * {@code eco2-<role>-<pid>}.
   */
  public static List<String> rabbitConnectionPids(EngineProcess p) {
    if (p.role() == null) {
      throw new IllegalArgumentException(p.label() + " was started without --role: its connections have no known name");
    }
    return rabbitConnectionPids("eco2-" + p.role() + "-" + p.pid());
  }

  /** The broker-side ids ({@code <rabbit@host.N.M.K>}) of the connections named {@code name}. */
  public static List<String> rabbitConnectionPids(String name) {
    return RabbitScope.connectionPids(name);
  }

  /** Closes, on the broker's side, the connections with the given broker ids, all at once. */
  public static void closeRabbitConnections(List<String> brokerPids) throws InterruptedException {
    RabbitScope.closeConnections(brokerPids);
  }
}
