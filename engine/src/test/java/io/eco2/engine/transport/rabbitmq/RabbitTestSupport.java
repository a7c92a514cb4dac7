package io.eco2.engine.transport.rabbitmq;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.eco2.engine.transport.WorkItem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Shared by the RabbitMQ tests: a plain amqp-client connection to inspect queues the way an operator would,
 * {@code rabbitmqctl}, and waiting helpers. Every test gets its own queue prefix and deletes its queues.
 */
final class RabbitTestSupport implements AutoCloseable {

  static final String URL = "amqp://guest:guest@127.0.0.1:5672";

  final String prefix = "test-" + UUID.randomUUID();
  final String connectionName = "eco2-test-" + UUID.randomUUID();
  private final Connection admin;

  RabbitTestSupport() throws Exception {
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(URL);
    admin = f.newConnection("eco2-test-admin");
  }

  RabbitMqOptions options(Map<String, Integer> backlogs) {
    return new RabbitMqOptions(new JsonObject().put("url", URL).put("queue-prefix", prefix)
      .put("reconnect-initial-ms", 100).put("reconnect-max-ms", 1000), backlogs)
      .setConnectionName(connectionName)
      .setRedeliveryDelay(Duration.ZERO)
      .setDepthCacheTtl(Duration.ofMillis(50));
  }

  /** A fresh channel per inspection: a failed passive declare (404) closes its channel. */
  Channel channel() throws IOException {
    return admin.createChannel();
  }

  long ready(String queue) throws Exception {
    try (Channel ch = channel()) {
      return ch.queueDeclarePassive(queue).getMessageCount();
    }
  }

  void deleteQueues(List<String> queues) {
    for (String q : queues) {
      try (Channel ch = channel()) {
        ch.queueDelete(q);
      } catch (Exception e) {
        // Already gone.
      }
    }
  }

  @Override
  public void close() throws Exception {
    admin.close();
  }

  static WorkItem item(String stage, String jobId) {
    return new WorkItem(jobId, stage, 0, System.currentTimeMillis(), new JsonObject().put("n", jobId), null);
  }

  static WorkItem bodyItem(byte[] body) {
    return WorkItem.fromJson(new JsonObject(new String(body, StandardCharsets.UTF_8)));
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static Throwable awaitFailure(Future<?> f) {
    try {
      f.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a failure, got success");
  }

  static void eventually(Duration within, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + within.toMillis();
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("condition not met within " + within);
      }
      Thread.sleep(10);
    }
  }

  /** Runs rabbitmqctl and returns its output; fails the test if it fails. */
  static String rabbitmqctl(String... args) throws Exception {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "rabbitmqctl";
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("rabbitmqctl " + String.join(" ", args) + " failed: " + out);
    }
    return out;
  }

  /** Closes, from the broker's side, the connection whose client-provided name is {@code name} (by its Erlang pid: rabbitmqctl 3.10 wants that, not the connection's display name). */
  static void closeConnectionNamed(String name) throws Exception {
    String listing = rabbitmqctl("list_connections", "-q", "--no-table-headers", "pid", "client_properties");
    String target = null;
    for (String line : listing.split("\n")) {
      if (line.contains(name)) {
        target = line.split("\t")[0].trim();
      }
    }
    if (target == null) {
      throw new AssertionError("no connection named " + name + " in: " + listing);
    }
    rabbitmqctl("close_connection", target, "test");
  }
}
