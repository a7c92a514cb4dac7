package io.eco2.engine.transport.rabbitmq;

import com.rabbitmq.client.Channel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The queues of CONTRACT §5 for each stage S, all durable classic queues on the default exchange:
 * <ul>
 *   <li>{@code P.S}, the work queue. No {@code x-max-length}: a due retry dead-lettered into a full
 *       reject-publish queue would be dropped silently; the backlog bound is enforced by senders instead.</li>
 *   <li>{@code P.S.retry.<ms>}, the delay queues: one per rung of the {@link DelayLadder} from 100 ms up to the
 *       stage's longest retry delay, each with a queue-level {@code x-message-ttl} of its {@code ms} and
 *       dead-lettering to {@code P.S} ({@code x-dead-letter-exchange ""}, {@code x-dead-letter-routing-key
 *       P.S}); nobody consumes them. A retry waits in the queue of its delay rounded up to a rung, so it holds
 *       no consumer slot and survives a restart of every process; since all messages of a queue have the same
 *       TTL, the head of a queue is always the one due first and no retry waits behind a longer one (which
 *       per-message TTL in one shared queue did: it expires only at the head). A delay beyond the top rung
 *       waits the top rung's time, then is delayed again for the rest ({@link #hop}).</li>
 *   <li>{@code P.S.retry}: the single per-message-TTL retry queue of earlier versions, still declared so that
 *       retries an older version left in it come due; nothing is published to it any more.</li>
 *   <li>{@code P.S.dlq}: jobs that exhausted their retries, for an operator (nobody consumes it).</li>
 * </ul>
 * Declared on connect and after every reconnect, so a broker that lost non-durable state, or an operator who
 * deleted a queue, is repaired by the next connection.
 */
final class Topology {

  /** Where a delay waits first: a delay queue, its TTL, and what is left to wait after it (0 = then due). */
  record Hop(String queue, long waitMs, long leftMs) {
  }

  private final String prefix;
  private final Set<String> stages;
  private final Map<String, List<Long>> rungs = new LinkedHashMap<>();

  /**
   * @param longestDelays each stage's longest retry delay in ms (its delay queues cover up to it); a stage
   *     missing from it gets {@link RabbitMqOptions#DEFAULT_LONGEST_RETRY_DELAY_MS}
   */
  Topology(String prefix, Set<String> stages, Map<String, Long> longestDelays) {
    this.prefix = prefix;
    this.stages = Set.copyOf(stages);
    for (String s : stages) {
      long longest = longestDelays.getOrDefault(s, RabbitMqOptions.DEFAULT_LONGEST_RETRY_DELAY_MS);
      rungs.put(s, List.copyOf(DelayLadder.covering(DelayLadder.FIRST_MS, longest)));
    }
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

  String delayQueue(String stage, long rungMs) {
    return prefix + "." + stage + ".retry." + rungMs;
  }

  /** The delay queues of a stage, shortest first. */
  List<String> delayQueues(String stage) {
    return rungs.get(stage).stream().map(r -> delayQueue(stage, r)).toList();
  }

  /**
   * Where a delay of {@code delayMs} (positive) waits: the stage's lowest rung not below it, or beyond the top
   * rung, the top rung with the rest left for a next hop. The rest is again rounded up by less than
   * {@code max(rest / 10, 100 ms)}, so the whole delay stays within {@code max(delay / 10, 100 ms)}, plus
   * the time the hop waits in {@code P.S} behind a backlog (the rest is delayed by the consumer that takes it).
   */
  Hop hop(String stage, long delayMs) {
    List<Long> ladder = rungs.get(stage);
    long top = ladder.get(ladder.size() - 1);
    if (delayMs > top) {
      return new Hop(delayQueue(stage, top), top, delayMs - top);
    }
    long rung = DelayLadder.rungAtLeast(delayMs);
    return new Hop(delayQueue(stage, rung), rung, 0);
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
      all.addAll(delayQueues(s));
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
      for (long rung : rungs.get(s)) {
        channel.queueDeclare(delayQueue(s, rung), true, false, false,
          Map.of("x-message-ttl", rung, "x-dead-letter-exchange", "", "x-dead-letter-routing-key", workQueue(s)));
      }
      channel.queueDeclare(deadLetterQueue(s), true, false, false, null);
    }
  }
}
