package io.eco2.engine.eventlog.redis;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/**
 * A process's Redis clients: the command pool ({@code redis.pool-size} connections, opened lazily, at most
 * {@code redis.pool-waiters} callers waiting for one) and the live client, whose one connection carries the
 * subscriptions of {@link RedisEventLog} and never takes a pooled one. So a process holds at most pool + 1
 * connections to Redis, whatever it runs.
 *
 * <p>Whoever creates this owns it: the parts it is handed to (event log, worker reports, rate limiter, ...)
 * use the clients and never close them; {@link #close()} closes both, once, after they have stopped.
 *
 * @param pool the pooled command client, shared by every part of the process
 * @param live the client of the one subscriber connection
 */
public record RedisClients(Redis pool, Redis live) {

  /** Creates both clients (nothing connects until first used); connections are named after {@code options.clientName()}. */
  public static RedisClients create(Vertx vertx, RedisEventLogOptions options) {
    String name = options.clientName();
    Redis pool = Redis.createClient(vertx, new RedisOptions()
      .setConnectionString(options.urlWithClientName(name))
      .setMaxPoolSize(options.poolSize())
      .setMaxPoolWaiting(options.poolWaiters()));
    // A client of its own, so the subscriber connection never takes (or is mistaken for) a pooled one.
    Redis live = Redis.createClient(vertx, new RedisOptions()
      .setConnectionString(options.urlWithClientName(name == null ? null : name + "-live"))
      .setMaxPoolSize(1));
    return new RedisClients(pool, live);
  }

  /** Closes the live client, then the pool. */
  public Future<Void> close() {
    live.close();
    pool.close();
    return Future.succeededFuture();
  }
}
