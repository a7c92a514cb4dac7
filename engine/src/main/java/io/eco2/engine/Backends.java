package io.eco2.engine;

import io.eco2.engine.config.EngineOptions;
import io.eco2.engine.config.Mode;
import io.eco2.engine.eventlog.ActiveJobs;
import io.eco2.engine.eventlog.EventLog;
import io.eco2.engine.eventlog.JobStore;
import io.eco2.engine.eventlog.memory.InMemoryEventLog;
import io.eco2.engine.eventlog.redis.RedisEventLog;
import io.eco2.engine.eventlog.redis.RedisEventLogOptions;
import io.eco2.engine.runtime.PipelinePlan;
import io.eco2.engine.transport.StageTransport;
import io.eco2.engine.transport.eventbus.EventBusTransport;
import io.eco2.engine.transport.rabbitmq.RabbitMqOptions;
import io.eco2.engine.transport.rabbitmq.RabbitMqTransport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The services an engine runs on, chosen by {@code mode}: where progress is logged and how work travels
 * between stages, and in distributed mode the process's one Redis client, which every other part of the
 * process shares (worker reports, the LLM rate limit) instead of opening its own.
 *
 * @param log the event log
 * @param store results and idempotency keys
 * @param transport the queues between stages
 * @param redis the process's Redis command client (pooled), or null in embedded mode
 * @param active the jobs not ended, beside the log (the watchdog's)
 */
record Backends(EventLog log, JobStore store, StageTransport transport, Redis redis, ActiveJobs active) {

  /** How often a failed delivery is offered again in process before it is dead-lettered. */
  private static final int EMBEDDED_REDELIVERIES = 3;

  static Future<Backends> create(Vertx vertx, EngineOptions options, PipelinePlan plan) {
    Map<String, Integer> backlogs = new LinkedHashMap<>();
    for (String s : plan.names()) {
      backlogs.put(s, plan.policy(s).backlog());
    }
    Duration idempotencyTtl = Duration.ofSeconds(options.getApi().idempotencyTtlSeconds());
    if (options.getMode() == Mode.EMBEDDED) {
      InMemoryEventLog log = new InMemoryEventLog(options.getEventLog().ttl(), options.getEventLog().getMaxJobs(),
        options.getEventLog().getMaxBytes(), idempotencyTtl);
      return Future.succeededFuture(new Backends(log, log, new EventBusTransport(vertx, backlogs, EMBEDDED_REDELIVERIES), null,
        log.activeJobs()));
    }
    // Distributed: Redis first, so a worker never consumes work it could not log; each closes what it
    // opened when the other fails to start.
    Map<String, Long> longestDelays = new LinkedHashMap<>();
    for (String s : plan.names()) {
      longestDelays.put(s, plan.policy(s).longestBackoff().toMillis());
    }
    RabbitMqOptions rabbit = new RabbitMqOptions(options.getRabbitmq()).setBacklogs(backlogs)
      .setLongestRetryDelays(longestDelays)
      .setConnectionName(RabbitMqOptions.connectionNameFor(options.getRole().toString()));
    RedisEventLogOptions redis = RedisEventLogOptions.of(options.getRedis(), options.getEventLog().ttl(), idempotencyTtl);
    return RedisEventLog.start(vertx, redis).compose(log -> {
      RabbitMqTransport transport = new RabbitMqTransport(vertx, rabbit);
      return Future.succeededFuture(new Backends(log, log, transport, log.client(), log.activeJobs()));
    });
  }

  Future<Void> close() {
    return transport.close().eventually(log::close);
  }
}
