package io.eco2.engine.transport.rabbitmq;

import io.eco2.testkit.Await;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** start() surfaces a wrong broker address at once instead of retrying forever. */
@ExtendWith(VertxExtension.class)
class RabbitMqStartTest {

  @Test
  void startFailsFastWhenTheBrokerCannotBeReached(Vertx vertx) {
    RabbitMqTransport transport = new RabbitMqTransport(vertx, new RabbitMqOptions()
      .setUrl("amqp://guest:guest@127.0.0.1:1").setConnectTimeout(Duration.ofSeconds(2))
      .setBacklogs(Map.of("s", 10)));
    long started = System.currentTimeMillis();
    assertThat(Await.failure(transport.start())).hasMessageContaining("cannot reach RabbitMQ at 127.0.0.1:1");
    assertThat(System.currentTimeMillis() - started).isLessThan(5000);
    assertThat(Await.failure(transport.ping())).hasMessageContaining("not connected");
    Await.result(transport.close());
  }
}
