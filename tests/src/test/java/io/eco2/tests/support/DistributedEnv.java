package io.eco2.tests.support;

import io.eco2.testkit.Await;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


/**
 * One distributed-mode test's world: a prefix of its own for Redis keys and RabbitMQ queues, the engine
 * processes it started (all killed on close), and the real local RabbitMQ (127.0.0.1:5672) and Redis
 * (127.0.0.1:6379) seen from outside: queues, messages, connections, keys. On close it deletes its queues and
 * every Redis key under its prefix.
 *
 * <p>Connections are attributed to a process by its pid: RabbitMQ connections by their name
 * {@code eco2-<role>-<pid>}, Redis connections by the local ports that {@code ss -tnp} shows for the pid (the
 * engine names every Redis connection {@code eco2}/{@code eco2-live}, whichever process holds it, and other
 * test runs may share the server).
 */
public final class DistributedEnv implements AutoCloseable {

  public static final List<String> STAGES = List.of("vision", "rule", "answer", "reward");

  private final Vertx vertx;
  private final Path dir;
  private final String prefix;
  private final List<EngineProcess> processes = new CopyOnWriteArrayList<>();
  private final Redis redis;
  private final WebClient web;
  private final HttpClient http;
  private final Map<Integer, SseClient> sseClients = new java.util.concurrent.ConcurrentHashMap<>();
  private Connection amqp;

  public DistributedEnv(Vertx vertx, Path dir) {
    this.vertx = vertx;
    this.dir = dir;
    this.prefix = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    this.redis = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:6379").setMaxPoolSize(4));
    this.web = WebClient.create(vertx);
    this.http = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(2000));
  }

  public String prefix() {
    return prefix;
  }

  public Vertx vertx() {
    return vertx;
  }

  public WebClient web() {
    return web;
  }

  /** An HTTP client whose pool holds 2,000 connections (for many open SSE streams). */
  public HttpClient http() {
    return http;
  }

  // ---------------------------------------------------------------- processes

  /**
   * Writes a configuration file: distributed mode, any free port, this test's prefixes, then
   * {@code overrides} merged deeply (JSON is YAML, so the engine's loader validates it as a user's file).
   */
  public Path config(String name, JsonObject overrides) throws IOException {
    JsonObject conf = new JsonObject()
      .put("mode", "distributed")
      .put("http", new JsonObject().put("port", 0))
      .put("redis", new JsonObject().put("key-prefix", prefix))
      .put("rabbitmq", new JsonObject().put("queue-prefix", prefix))
      .mergeIn(overrides, true);
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(file, conf.encodePrettily());
    return file;
  }

  /** Starts a process with {@code --role role}, waits for its ready line, and kills it on {@link #close()}. */
  public EngineProcess start(String label, Path config, String role) throws Exception {
    EngineProcess p = EngineProcess.start(label, config, role);
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
      .sendJsonObject(new JsonObject().put("image_url", imageUrl)));
    if (r.statusCode() != 200) {
      throw new AssertionError("submit answered " + r.statusCode() + ": " + r.bodyAsString());
    }
    return r.bodyAsJsonObject().getString("job_id");
  }

  public HttpResponse<Buffer> get(int port, String path) {
    return Await.result(web.get(port, "127.0.0.1", path).send());
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
    Request req = Request.cmd(Command.create(command));
    for (Object a : args) {
      req.arg(String.valueOf(a));
    }
    return Await.result(redis.send(req));
  }

  /** The job's stream entries as the engine logged them: {@code id} plus the entry's fields. */
  public List<JsonObject> xrange(String jobId) {
    Response r = redis("XRANGE", prefix + ":events:" + jobId, "-", "+");
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

  /** Every key under this test's prefix (SCAN MATCH prefix:*). */
  public List<String> keys() {
    List<String> keys = new ArrayList<>();
    String cursor = "0";
    int rounds = 0;
    do {
      Response r = redis("SCAN", cursor, "MATCH", prefix + ":*", "COUNT", 1000);
      cursor = r.get(0).toString();
      for (Response k : r.get(1)) {
        keys.add(k.toString());
      }
    } while (!"0".equals(cursor) && ++rounds < 100_000);
    return keys;
  }

  /** {@code CLIENT LIST}, one map of fields per connection. */
  public List<Map<String, String>> clientList() {
    List<Map<String, String>> out = new ArrayList<>();
    for (String line : redis("CLIENT", "LIST").toString().split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      Map<String, String> fields = new LinkedHashMap<>();
      for (String kv : line.trim().split(" ")) {
        int eq = kv.indexOf('=');
        if (eq > 0) {
          fields.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
      }
      out.add(fields);
    }
    return out;
  }

  /** The Redis connections that process {@code p} holds (matched by the local ports of its TCP sockets). */
  public List<Map<String, String>> redisClientsOf(EngineProcess p) throws Exception {
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
  public int killRedisClientsOf(EngineProcess p) throws Exception {
    int n = 0;
    for (Map<String, String> c : redisClientsOf(p)) {
      Response r = redis("CLIENT", "KILL", "ID", c.get("id"));
      n += r.toInteger();
    }
    return n;
  }

  /** Local ports of the established TCP connections from process {@code pid} to {@code remotePort}. */
  public static Set<Integer> localPorts(long pid, int remotePort) throws Exception {
    Set<Integer> ports = new HashSet<>();
    for (String line : exec("ss", "-tnpH", "state", "established").split("\n")) {
      // With a state filter, ss omits the State column: Recv-Q Send-Q Local Peer Process.
      Matcher m = Pattern.compile("^\\s*\\d+\\s+\\d+\\s+\\S+:(\\d+)\\s+\\S+:(\\d+)\\s+.*pid=" + pid + ",").matcher(line);
      if (m.find() && Integer.parseInt(m.group(2)) == remotePort) {
        ports.add(Integer.parseInt(m.group(1)));
      }
    }
    return ports;
  }

  /** {@code INFO} section field, e.g. {@code info("stats", "total_commands_processed")}. */
  public long info(String section, String field) {
    for (String line : redis("INFO", section).toString().split("\r?\n")) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1).trim());
      }
    }
    throw new AssertionError("INFO " + section + " has no " + field);
  }

  // ---------------------------------------------------------------- RabbitMQ

  private synchronized Channel channel() throws Exception {
    if (amqp == null || !amqp.isOpen()) {
      ConnectionFactory f = new ConnectionFactory();
      f.setUri("amqp://guest:guest@127.0.0.1:5672");
      f.setAutomaticRecoveryEnabled(false);
      amqp = f.newConnection("eco2-test-" + prefix);
    }
    return amqp.createChannel();
  }

  /** Messages ready in a queue (passive declare; fails if the queue does not exist). */
  public long messageCount(String queue) throws Exception {
    Channel ch = channel();
    try {
      return ch.queueDeclarePassive(queue).getMessageCount();
    } finally {
      closeQuietly(ch);
    }
  }

  /** Takes one message from a queue and acknowledges it (null when the queue is empty). */
  public GetResponse basicGet(String queue) throws Exception {
    Channel ch = channel();
    try {
      return ch.basicGet(queue, true);
    } finally {
      closeQuietly(ch);
    }
  }

  /** The broker-side ids ({@code <rabbit@host.N.M.K>}) of the connections named {@code name}. */
  public static List<String> rabbitConnectionPids(String name) throws Exception {
    List<String> pids = new ArrayList<>();
    Pattern pid = Pattern.compile("<[^>]+>");
    for (String line : exec("rabbitmqctl", "-q", "list_connections", "pid", "client_properties").split("\n")) {
      if (line.contains("\"" + name + "\"") || line.contains("<<\"" + name + "\">>") || line.contains(name + "\"")) {
        Matcher m = pid.matcher(line);
        if (m.find()) {
          pids.add(m.group());
        }
      }
    }
    return pids;
  }

  /**
   * Closes, on the broker's side, the connections with the given broker ids, all at once (each
   * {@code rabbitmqctl} call takes about a second: one after another they would outlast short jobs).
   */
  public static void closeRabbitConnections(List<String> brokerPids) throws Exception {
    List<Thread> threads = new ArrayList<>();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    for (String pid : brokerPids) {
      Thread t = new Thread(() -> {
        try {
          exec("rabbitmqctl", "-q", "close_connection", pid, "test: connection dropped");
        } catch (Throwable e) {
          errors.add(e);
        }
      });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join(60_000);
    }
    if (!errors.isEmpty()) {
      throw new AssertionError("close_connection failed: " + errors);
    }
  }

  /** Closes, on the broker's side, every RabbitMQ connection of {@code p} running {@code role}; returns how many. */
  public static int closeRabbitConnectionsOf(EngineProcess p, String role) throws Exception {
    List<String> pids = rabbitConnectionPids("eco2-" + role + "-" + p.pid());
    for (String pid : pids) {
      exec("rabbitmqctl", "-q", "close_connection", pid, "test: connection dropped");
    }
    return pids.size();
  }

  // ---------------------------------------------------------------- clean-up

  /** Kills every process this test started, deletes its queues and Redis keys. */
  @Override
  public void close() {
    for (EngineProcess p : processes) {
      p.close();
    }
    try {
      for (String s : STAGES) {
        for (String q : List.of(prefix + "." + s, prefix + "." + s + ".retry", prefix + "." + s + ".dlq")) {
          Channel ch = channel();
          try {
            ch.queueDelete(q);
          } catch (IOException ignored) {
            // not declared: the channel is closed by the broker, the next one is fresh
          } finally {
            closeQuietly(ch);
          }
        }
      }
    } catch (Exception e) {
      System.err.println("DistributedEnv: queue clean-up of " + prefix + " failed: " + e);
    }
    try {
      List<String> keys = keys();
      for (int i = 0; i < keys.size(); i += 500) {
        List<Object> batch = new ArrayList<>(keys.subList(i, Math.min(keys.size(), i + 500)));
        redis("DEL", batch.toArray());
      }
    } catch (RuntimeException e) {
      System.err.println("DistributedEnv: key clean-up of " + prefix + " failed: " + e);
    }
    try {
      if (amqp != null && amqp.isOpen()) {
        amqp.close();
      }
    } catch (Exception ignored) {
      // best effort
    }
    sseClients.values().forEach(SseClient::close);
    redis.close();
    web.close();
    http.close();
  }

  private static void closeQuietly(Channel ch) {
    try {
      if (ch.isOpen()) {
        ch.close();
      }
    } catch (Exception ignored) {
      // already closed
    }
  }

  /** Runs a command, returns its standard output; fails on a non-zero exit or after 60 s. */
  public static String exec(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", command) + " exited " + p.exitValue() + ": " + text);
    }
    return text;
  }

  /** A JSON array of strings, for configuration lists. */
  public static JsonArray list(String... values) {
    return new JsonArray(List.of((Object[]) values));
  }
}
