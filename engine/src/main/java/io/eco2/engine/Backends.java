package io.eco2.engine;

import io.eco2.engine.eventlog.EventLog;
import io.eco2.engine.eventlog.JobStore;
import io.eco2.engine.eventlog.memory.InMemoryEventLog;
import io.eco2.engine.eventlog.redis.RedisEventLog;
import io.eco2.engine.runtime.PipelinePlan;
import io.eco2.engine.transport.StageTransport;
import io.eco2.engine.transport.eventbus.EventBusTransport;
import io.eco2.engine.transport.rabbitmq.RabbitMqOptions;
import io.eco2.engine.transport.rabbitmq.RabbitMqTransport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The services an engine runs on, chosen by {@code mode}: where progress is logged and how work travels
 * between stages.
 *
 * @param log the event log
 * @param store results and idempotency keys
 * @param transport the queues between stages
 */
record Backends(EventLog log, JobStore store, StageTransport transport) {

  /** How often a failed delivery is offered again in process before it is dead-lettered. */
  private static final int EMBEDDED_REDELIVERIES = 3;

  static Future<Backends> create(Vertx vertx, JsonObject config, PipelinePlan plan) {
    String mode = config.getString("mode", "embedded");
    Map<String, Integer> backlogs = new LinkedHashMap<>();
    for (String s : plan.names()) {
      backlogs.put(s, plan.policy(s).backlog());
    }
    if ("embedded".equals(mode)) {
      JsonObject eventLog = config.getJsonObject("event-log", new JsonObject());
      JsonObject api = config.getJsonObject("api", new JsonObject());
      InMemoryEventLog log = new InMemoryEventLog(Duration.ofSeconds(eventLog.getLong("ttl-seconds", 3600L)),
        eventLog.getInteger("max-jobs", 100_000), eventLog.getLong("max-bytes", InMemoryEventLog.AUTO_MAX_BYTES),
        Duration.ofSeconds(api.getLong("idempotency-ttl-seconds", 3600L)));
      return Future.succeededFuture(new Backends(log, log, new EventBusTransport(vertx, backlogs, EMBEDDED_REDELIVERIES)));
    }
    // Distributed: Redis first, so a worker never consumes work it could not log; each closes what it
    // opened when the other fails to start.
    RabbitMqOptions rabbit = new RabbitMqOptions(config.getJsonObject("rabbitmq", new JsonObject()), backlogs)
      .setConnectionName(RabbitMqOptions.connectionNameFor(config.getString("role", "all")));
    return RedisEventLog.start(vertx, config).compose(log -> {
      RabbitMqTransport transport = new RabbitMqTransport(vertx, rabbit);
      return Future.succeededFuture(new Backends(log, log, transport));
    });
  }

  Future<Void> close() {
    return transport.close().eventually(log::close);
  }
}
