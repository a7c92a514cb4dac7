package io.eco2.engine.transport.rabbitmq;

import com.rabbitmq.client.Channel;
import io.eco2.engine.transport.WorkItem;
import io.eco2.testkit.RabbitScope;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The RabbitMQ transport's tests against the real local RabbitMQ: the test's {@link RabbitScope} (its queue
 * prefix, a plain amqp-client connection to inspect queues as an operator would, {@code rabbitmqctl}), a
 * connection name of its own for the transport, and work items. Every test deletes its queues.
 */
final class RabbitTestSupport implements AutoCloseable {

  static final String URL = RabbitScope.DEFAULT_URL;

  final RabbitScope scope = new RabbitScope();
  final String prefix = scope.prefix();
  final String connectionName = "eco2-test-" + UUID.randomUUID();

  RabbitMqOptions options(Map<String, Integer> backlogs) {
    return new RabbitMqOptions(new JsonObject().put("url", URL).put("queue-prefix", prefix)
      .put("reconnect-initial-ms", 100).put("reconnect-max-ms", 1000), backlogs)
      .setConnectionName(connectionName)
      .setRedeliveryDelay(Duration.ZERO)
      .setDepthCacheTtl(Duration.ofMillis(50));
  }

  /** A fresh channel per inspection: a failed passive declare (404) closes its channel. */
  Channel channel() throws IOException {
    return scope.channel();
  }

  long ready(String queue) throws Exception {
    return scope.messageCount(queue);
  }

  void deleteQueues(List<String> queues) {
    scope.deleteQueues(queues);
  }

  @Override
  public void close() {
    scope.close();
  }

  static WorkItem item(String stage, String jobId) {
    return new WorkItem(jobId, stage, 0, System.currentTimeMillis(), new JsonObject().put("n", jobId), null);
  }

  static WorkItem bodyItem(byte[] body) {
    return WorkItem.fromJson(new JsonObject(new String(body, StandardCharsets.UTF_8)));
  }

  /** Closes, from the broker's side, the connection whose client-provided name is {@code name}. */
  static void closeConnectionNamed(String name) throws InterruptedException {
    RabbitScope.closeConnectionsNamed(name);
  }
}
