package io.eco2.engine.transport;

import io.vertx.core.Future;

/**
 * Carries work between stages with at-least-once delivery and bounded buffers.
 *
 * <p>Promises: a consumer never holds more unacknowledged deliveries than its concurrency; a delivery is
 * acknowledged only when its handler's future succeeds and is delivered again when it fails; a stage's
 * backlog never exceeds its bound (admissions are refused, other senders wait). Implementations: the Vert.x
 * event bus with credit-based flow control (embedded mode) and RabbitMQ (distributed mode).
 */
public interface StageTransport {

  /** Connects and declares what the stages need (queues, addresses). */
  Future<Void> start();

  /** Hands {@code item} to {@code stage}. See {@link SendOptions} for waiting and admission. */
  Future<Void> send(String stage, WorkItem item, SendOptions options);

  /** Starts consuming a stage's work with at most {@code concurrency} deliveries in flight. */
  Future<StageConsumer> consume(String stage, int concurrency, WorkHandler handler);

  /**
   * Parks a job whose stage exhausted its retries where an operator can inspect it (RabbitMQ: the stage's
   * dead-letter queue {@code <prefix>.<stage>.dlq}, with the reason and attempt count), before the job's
   * {@code error} event is written.
   */
  Future<Void> deadLetter(String stage, WorkItem item, String reason);

  /** Work waiting for the stage plus work in flight at it (ready + unacknowledged), across all consumers. */
  Future<Long> depth(String stage);

  /** Whether the backing service answers. */
  default Future<Void> ping() {
    return Future.succeededFuture();
  }

  Future<Void> close();
}
