package io.eco2.engine.transport.rabbitmq;

import com.rabbitmq.client.Channel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The queues of CONTRACT §5, three per stage S, all durable classic queues on the default exchange:
 * <ul>
 *   <li>{@code P.S}, the work queue. No {@code x-max-length}: a due retry dead-lettered into a full
 *       reject-publish queue would be dropped silently; the backlog bound is enforced by senders instead.</li>
 *   <li>{@code P.S.retry}: retries are published here with a per-message {@code expiration} (their backoff)
 *       and nobody consumes it; an expired message is dead-lettered to {@code P.S} ({@code x-dead-letter-exchange
 *       ""}, {@code x-dead-letter-routing-key P.S}). So a retry waits out its delay without holding a consumer
 *       slot and survives a restart of every process. Per-message TTL only expires at the queue's head: a retry
 *       behind a longer one waits until that one expires, so a retry can be late by at most the stage's
 *       largest backoff, never early.</li>
 *   <li>{@code P.S.dlq}: jobs that exhausted their retries, for an operator (nobody consumes it).</li>
 * </ul>
 * Declared on connect and after every reconnect, so a broker that lost non-durable state, or an operator who
 * deleted a queue, is repaired by the next connection.
 */
final class Topology {

  private final String prefix;
  private final Set<String> stages;

  Topology(String prefix, Set<String> stages) {
    this.prefix = prefix;
    this.stages = Set.copyOf(stages);
  }

  boolean has(String stage) {
    return stages.contains(stage);
  }

  String workQueue(String stage) {
    return prefix + "." + stage;
  }

  String retryQueue(String stage) {
    return prefix + "." + stage + ".retry";
  }

  String deadLetterQueue(String stage) {
    return prefix + "." + stage + ".dlq";
  }

  /** Every queue name, for tests and operators. */
  List<String> queues() {
    List<String> all = new ArrayList<>();
    for (String s : stages) {
      all.add(workQueue(s));
      all.add(retryQueue(s));
      all.add(deadLetterQueue(s));
    }
    return all;
  }

  /**
   * Declares every queue (idempotent). Fails with the broker's 406 if a queue exists with other arguments:
   * that needs an operator, not a retry loop that hides it.
   */
  void declare(Channel channel) throws IOException {
    for (String s : stages) {
      channel.queueDeclare(workQueue(s), true, false, false, null);
      channel.queueDeclare(retryQueue(s), true, false, false,
        Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", workQueue(s)));
      channel.queueDeclare(deadLetterQueue(s), true, false, false, null);
    }
  }
}
