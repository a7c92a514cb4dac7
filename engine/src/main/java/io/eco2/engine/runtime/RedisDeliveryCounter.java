package io.eco2.engine.runtime;

import io.eco2.engine.transport.WorkItem;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

import java.time.Duration;
import java.util.Objects;

/**
 * {@link DeliveryCounter} in Redis: key {@code {prefix}:deliveries:{job}:{stage}:{attempt}}, incremented by
 * one script call per redelivery (so two workers redelivered the same message concurrently both count) and
 * expiring {@code ttl} after it was first counted.
 */
public final class RedisDeliveryCounter implements DeliveryCounter {

  // INCR and the expiry in one step: a counter must never be left without its TTL.
  private static final String SCRIPT = "local n = redis.call('INCR', KEYS[1]) "
    + "if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return n";

  private final Redis redis;
  private final String prefix;
  private final long ttlMillis;

  /**
   * @param prefix {@code redis.key-prefix}
   * @param ttl how long a count is kept (the event log's TTL: a job is not delivered after its events expired)
   */
  public RedisDeliveryCounter(Redis redis, String prefix, Duration ttl) {
    this.redis = Objects.requireNonNull(redis);
    this.prefix = Objects.requireNonNull(prefix);
    this.ttlMillis = Math.max(1, ttl.toMillis());
  }

  @Override
  public Future<Long> redelivered(WorkItem item) {
    Request eval = Request.cmd(Command.EVAL).arg(SCRIPT).arg(1).arg(key(item)).arg(ttlMillis);
    return redis.send(eval).map(r -> r.toLong() + 1);
  }

  String key(WorkItem item) {
    return prefix + ":deliveries:" + item.jobId() + ":" + item.stage() + ":" + item.attempt();
  }
}
