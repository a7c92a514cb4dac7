package io.eco2.engine.transport.rabbitmq;

import io.eco2.engine.config.EngineOptions;
import com.rabbitmq.client.Channel;
import io.eco2.engine.eventlog.redis.RedisEventLog;
import io.eco2.engine.eventlog.redis.RedisEventLogOptions;
import io.eco2.testkit.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Start-up failures of RabbitMQ and Redis say in one line where, who and what to do. */
@ExtendWith(VertxExtension.class)
class StartupErrorsTest {

  private RabbitTestSupport rabbit;

  @BeforeEach
  void setUp() throws Exception {
    rabbit = new RabbitTestSupport();
  }

  @AfterEach
  void tearDown() throws Exception {
    rabbit.deleteQueues(List.of(rabbit.prefix + ".s", rabbit.prefix + ".s.retry", rabbit.prefix + ".s.dlq"));
    rabbit.close();
  }

  private String startFailure(Vertx vertx, RabbitMqOptions options) {
    RabbitMqTransport transport = new RabbitMqTransport(vertx, options);
    try {
      String message = Await.failure(transport.start()).getMessage();
      assertThat(message).doesNotContain("\n");
      return message;
    } finally {
      Await.result(transport.close());
    }
  }

  @Test
  void aQueueDeclaredWithOtherArgumentsNamesTheQueueTheArgumentAndTheFix(Vertx vertx) throws Exception {
    try (Channel ch = rabbit.channel()) {
      ch.queueDeclare(rabbit.prefix + ".s.retry", true, false, false, null);
    }

    String message = startFailure(vertx, rabbit.options(Map.of("s", 10)));

    assertThat(message).contains("127.0.0.1:5672").contains("queue '" + rabbit.prefix + ".s.retry'")
      .contains("'x-dead-letter-exchange'").contains("PRECONDITION_FAILED").contains("delete the queue")
      .contains("rabbitmq.queue-prefix");
  }

  @Test
  void refusedCredentialsNameTheUserAndVhost(Vertx vertx) {
    RabbitMqOptions options = new RabbitMqOptions(new JsonObject().put("url", "amqp://guest:wrong@127.0.0.1:5672/%2F")
      .put("queue-prefix", rabbit.prefix), Map.of("s", 10));

    assertThat(startFailure(vertx, options)).contains("127.0.0.1:5672").contains("user 'guest'").contains("vhost '/'");
  }

  @Test
  void anUnreachableBrokerIsNamedByHostAndPort(Vertx vertx) {
    RabbitMqOptions options = new RabbitMqOptions(new JsonObject().put("url", "amqp://guest:guest@127.0.0.1:1")
      .put("queue-prefix", rabbit.prefix), Map.of("s", 10));

    assertThat(startFailure(vertx, options)).startsWith("cannot reach RabbitMQ at 127.0.0.1:1");
  }

  @Test
  void anUnreachableRedisIsNamedByHostAndPort(Vertx vertx) {
    RedisEventLogOptions options = RedisEventLogOptions.from(new EngineOptions(new JsonObject()
      .put("redis", new JsonObject().put("url", "redis://127.0.0.1:1"))));

    String message = Await.failure(RedisEventLog.start(vertx, options)).getMessage();

    assertThat(message).contains("Redis at 127.0.0.1:1").doesNotContain("\n");
  }
}
