package io.eco2.engine.transport.rabbitmq;

import com.rabbitmq.client.Channel;
import io.eco2.engine.transport.SendOptions;
import io.eco2.engine.transport.StageConsumer;
import io.eco2.testkit.Await;
import io.eco2.testkit.TcpProxy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static io.eco2.engine.transport.rabbitmq.RabbitTestSupport.item;
import static org.assertj.core.api.Assertions.assertThat;

/** The transport survives the broker closing its connection, and never leaves a publish hanging. */
@ExtendWith(VertxExtension.class)
class RabbitMqReconnectTest {


  private Vertx vertx;
  private RabbitTestSupport rabbit;
  private final List<RabbitMqTransport> transports = new ArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    this.vertx = vertx;
    rabbit = new RabbitTestSupport();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (RabbitMqTransport t : transports) {
      Await.result(t.close());
      rabbit.deleteQueues(t.queueNames());
    }
    rabbit.close();
  }

  private RabbitMqTransport start(RabbitMqOptions options) {
    RabbitMqTransport t = new RabbitMqTransport(vertx, options);
    transports.add(t);
    Await.result(t.start());
    return t;
  }

  private boolean exists(String queue) {
    try {
      rabbit.ready(queue);
      return true;
    } catch (Exception notFound) {
      return false;
    }
  }

  private boolean up(RabbitMqTransport t) {
    return Await.result(t.ping().map(true).otherwise(false));
  }

  @Test
  void reconnectsRedeclaresAndKeepsConsumingAfterTheBrokerClosesTheConnection() throws Exception {
    RabbitMqTransport transport = start(rabbit.options(Map.of("vision", 1000)));
    Set<String> handled = ConcurrentHashMap.newKeySet();
    AtomicInteger deliveries = new AtomicInteger();
    StageConsumer consumer = Await.result(transport.consume("vision", 4, it -> {
      deliveries.incrementAndGet();
      // Slow enough that deliveries are in flight when the connection drops.
      return vertx.timer(20).mapEmpty().onSuccess(v -> handled.add(it.jobId())).mapEmpty();
    }));
    int n = 40;
    for (int i = 0; i < n; i++) {
      Await.result(transport.send("vision", item("vision", "before-" + i), SendOptions.DEFAULT));
    }
    Await.until("handled.size() >= 4", () -> handled.size() >= 4);
    // Gone while disconnected, back after the reconnect: proves the topology is declared again.
    try (Channel ch = rabbit.channel()) {
      ch.queueDelete(rabbit.prefix + ".vision.retry");
    }

    RabbitTestSupport.closeConnectionNamed(rabbit.connectionName);
    // Only a reconnect declares it again (a ping could miss the short outage; this cannot).
    Await.until("the retry queue declared again", () -> exists(rabbit.prefix + ".vision.retry"));
    Await.until("up(transport)", () -> up(transport));
    int m = 40;
    for (int i = 0; i < m; i++) {
      Await.result(transport.send("vision", item("vision", "after-" + i), SendOptions.DEFAULT));
    }
    Await.until("every job handled", () -> handled.size() == n + m); // distinct jobs: redeliveries may repeat some
    assertThat(deliveries.get()).isGreaterThanOrEqualTo(n + m);
    Await.until("consumer.inflight() == 0", () -> consumer.inflight() == 0);
    Await.until("the queue drained", () -> Await.result(transport.depth("vision")) == 0L);
  }

  @Test
  void publishesAwaitingAConfirmFailWhenTheConnectionDies() throws Exception {
    try (TcpProxy proxy = TcpProxy.start(vertx, 5672)) {
      RabbitMqTransport transport = start(rabbit.options(Map.of("vision", 1000))
        .setUrl("amqp://guest:guest@127.0.0.1:" + proxy.port())
        .setConfirmTimeout(Duration.ofSeconds(60))); // so only the connection loss can end them
      Await.result(transport.send("vision", item("vision", "warm-up"), SendOptions.DEFAULT));

      proxy.stall(); // the broker's confirms no longer reach the client
      List<Future<Void>> pending = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        // Delayed sends skip the depth read (which would stall too): only the confirm is outstanding.
        pending.add(transport.send("vision", item("vision", "p-" + i), SendOptions.delayed(Duration.ofMinutes(5))));
      }
      // The stall is the scenario: for 500 ms with no confirms, none of the publishes may end.
      Await.holdsFor(Duration.ofMillis(500), "no publish ended while stalled", () -> assertThat(pending).noneMatch(Future::isComplete));

      long cutAt = System.currentTimeMillis();
      proxy.cut();
      for (Future<Void> f : pending) {
        assertThat(Await.failure(f)).isNotNull();
      }
      assertThat(System.currentTimeMillis() - cutAt).isLessThan(5000);

      proxy.resume();
      Await.until("up(transport)", () -> up(transport));
      Await.result(transport.send("vision", item("vision", "after"), SendOptions.DEFAULT));
    }
  }

  @Test
  void aPublishWithoutAConfirmFailsAfterTheConfirmTimeout() throws Exception {
    try (TcpProxy proxy = TcpProxy.start(vertx, 5672)) {
      RabbitMqTransport transport = start(rabbit.options(Map.of("vision", 1000))
        .setUrl("amqp://guest:guest@127.0.0.1:" + proxy.port())
        .setConfirmTimeout(Duration.ofMillis(800)));
      proxy.stall();
      long sentAt = System.currentTimeMillis();
      Future<Void> f = transport.send("vision", item("vision", "t"), SendOptions.delayed(Duration.ofMinutes(5)));
      assertThat(Await.failure(f)).isInstanceOf(java.util.concurrent.TimeoutException.class);
      assertThat(System.currentTimeMillis() - sentAt).isBetween(700L, 5000L);
      proxy.resume();
    }
  }
}
