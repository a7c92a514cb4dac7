package io.eco2.engine;

import io.eco2.engine.config.EngineOptions;
import io.eco2.engine.config.Mode;
import io.eco2.engine.eventlog.ActiveJobs;
import io.eco2.engine.eventlog.EventLog;
import io.eco2.engine.eventlog.JobStore;
import io.eco2.engine.eventlog.memory.InMemoryEventLog;
import io.eco2.engine.eventlog.redis.RedisClients;
import io.eco2.engine.eventlog.redis.RedisEventLog;
import io.eco2.engine.eventlog.redis.RedisEventLogOptions;
import io.eco2.engine.runtime.PipelinePlan;
import io.eco2.engine.transport.StageTransport;
import io.eco2.engine.transport.eventbus.EventBusTransport;
import io.eco2.engine.transport.rabbitmq.AmqpConnection;
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
 * between stages. In distributed mode this is the owner of the process's connections: it creates the one
 * Redis command pool and live (subscriber) client ({@link RedisClients}) and the one RabbitMQ connection
 * ({@link AmqpConnection}), hands them to the event log and the transport, and every other part of the
 * process (worker reports, the LLM rate limit, ownership and user rate limits, delivery counts, the
 * watchdog's lease) is given {@link #redis()} instead of opening its own. Only {@link #close()} closes them,
 * after the parts that use them. So a process holds {@code redis.pool-size} + 1 Redis connections at most
 * and one AMQP connection, whatever features are on.
 *
 * @param vertx the Vertx instance the connections run on
 * @param log the event log
 * @param store results and idempotency keys
 * @param transport the queues between stages
 * @param redis the process's Redis command client (pooled), or null in embedded mode
 * @param active the jobs not ended, beside the log (the watchdog's)
 * @param redisClients the Redis clients this owns (null in embedded mode)
 * @param amqp the AMQP connection this owns (null in embedded mode)
 */
record Backends(Vertx vertx, EventLog log, JobStore store, StageTransport transport, Redis redis, ActiveJobs active,
                RedisClients redisClients, AmqpConnection amqp) {

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
      return Future.succeededFuture(new Backends(vertx, log, log, new EventBusTransport(vertx, backlogs, EMBEDDED_REDELIVERIES), null,
        log.activeJobs(), null, null));
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
    RedisClients clients = RedisClients.create(vertx, redis);
    return RedisEventLog.start(vertx, redis, clients)
      .recover(err -> clients.close().transform(x -> Future.failedFuture(err)))
      .map(log -> {
        AmqpConnection amqp = new AmqpConnection(rabbit);
        RabbitMqTransport transport = new RabbitMqTransport(vertx, rabbit, amqp);
        return new Backends(vertx, log, log, transport, clients.pool(), log.activeJobs(), clients, amqp);
      });
  }

  /** Closes the transport and the log, then the connections they ran on. */
  Future<Void> close() {
    Future<Void> parts = transport.close().eventually(log::close);
    if (amqp == null) {
      return parts;
    }
    return parts.eventually(() -> amqp.close(vertx.getOrCreateContext()))
      .eventually(redisClients::close);
  }
}
