package io.eco2.engine.eventlog.redis;

import io.eco2.engine.eventlog.ActiveJobs;
import io.eco2.engine.eventlog.EventId;
import io.eco2.engine.eventlog.EventLog;
import io.eco2.engine.eventlog.EventSubscription;
import io.eco2.engine.eventlog.JobStore;
import io.eco2.engine.eventlog.LoggedEvent;
import io.eco2.engine.eventlog.TransitionOutcome;
import io.eco2.engine.job.ProgressEvent;
import io.eco2.engine.job.ProgressUpdate;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * The distributed-mode event log and job store: Redis Streams and keys as CONTRACT §4 lays them out.
 *
 * <p>Keys (prefix {@code P}, default {@code scan}): {@code P:events:<job>} (stream, fields
 * {@code stage status seq ts progress result} plus an internal {@code dedup}), {@code P:state:<job>} (JSON of
 * the latest event, with its {@code id}), {@code P:result:<job>} (JSON), {@code P:input:<job>} (the submitted
 * data, JSON), {@code P:idempotency:<key>} (JSON), {@code P:active} (the jobs not ended, see
 * {@link #activeJobs()}).
 * Live events travel on the channel {@code P:notify}.
 *
 * <p>Promises, beyond {@link EventLog} and {@link JobStore}:
 * <ul>
 *   <li>An append is one atomic script: dedup, seq, id, TTLs, state key and notification happen together;
 *       events, state and result expire {@code event-log.ttl-seconds} after the job's last append.</li>
 *   <li>Commands use a pool of {@code redis.pool-size} connections; a command whose connection dies fails
 *       its future (callers retry at their level), and the pool replaces the connection.</li>
 *   <li>Subscriptions share one dedicated connection, outside the pool, that reconnects by itself and
 *       catches subscribers up on what was logged while it was down (see {@link LiveEvents}).</li>
 *   <li>{@link #ping()} fails while Redis does not answer or the live connection is down: readiness.</li>
 * </ul>
 * Futures complete on a Vert.x context; nothing here blocks.
 */
public final class RedisEventLog implements EventLog, JobStore {

  private static final System.Logger LOG = System.getLogger(RedisEventLog.class.getName());

  private final RedisEventLogOptions options;
  private final Redis redis;
  private final AppendScript script = new AppendScript();
  private final LiveEvents live;
  private final String prefix;
  private final String ttlMillis;
  private final String idempotencyTtlMillis;
  private final RedisActiveJobs active;

  private final RedisClients owned;

  private RedisEventLog(Vertx vertx, RedisEventLogOptions options, RedisClients clients, boolean owns) {
    this.options = options;
    this.prefix = options.keyPrefix();
    this.ttlMillis = Long.toString(options.ttl().toMillis());
    this.idempotencyTtlMillis = Long.toString(options.idempotencyTtl().toMillis());
    this.redis = clients.pool();
    this.owned = owns ? clients : null;
    this.active = new RedisActiveJobs(redis, prefix, ttlMillis);
    this.live = new LiveEvents(vertx, clients.live(), prefix + ":notify", options.reconnectInitial(),
      options.reconnectMax(), this::readAfter);
  }

  /**
   * Connects, caches the append script and subscribes the live connection, on clients of its own that
   * {@link #close()} closes (tests, tools). Fails (and releases everything) when Redis cannot be reached now.
   */
  public static Future<RedisEventLog> start(Vertx vertx, RedisEventLogOptions options) {
    return start(new RedisEventLog(vertx, options, RedisClients.create(vertx, options), true));
  }

  /**
   * Connects on the process's {@code clients}, which stay its owner's: {@link #close()} ends the
   * subscription but closes neither client. Fails when Redis cannot be reached now; losses after start
   * are retried.
   */
  public static Future<RedisEventLog> start(Vertx vertx, RedisEventLogOptions options, RedisClients clients) {
    return start(new RedisEventLog(vertx, options, clients, false));
  }

  private static Future<RedisEventLog> start(RedisEventLog log) {
    RedisEventLogOptions options = log.options;
    return log.script.load(log.redis)
      .compose(v -> log.live.start())
      .map(v -> {
        LOG.log(Level.INFO, "Redis event log started: {0}", options);
        return log;
      })
      .recover(err -> log.close().transform(ignored -> Future.failedFuture(new IllegalStateException(describe(options, err), err))));
  }

  /** One line naming Redis's host:port and, when it refused the credentials, the user; what to check. */
  static String describe(RedisEventLogOptions options, Throwable err) {
    String user = "default";
    try {
      java.net.URI uri = java.net.URI.create(options.url());
      if (uri.getUserInfo() != null && uri.getUserInfo().contains(":") && !uri.getUserInfo().startsWith(":")) {
        user = uri.getUserInfo().substring(0, uri.getUserInfo().indexOf(':'));
      }
    } catch (IllegalArgumentException badUrl) {
      return "redis.url: not a valid Redis URL (" + badUrl.getMessage() + ")";
    }
    String where = where(options);
    String message = String.valueOf(err.getMessage()).replace('\n', ' ');
    if (message.startsWith("WRONGPASS") || message.startsWith("NOAUTH") || message.contains("AUTH")) {
      return "Redis at " + where + " refused user '" + user + "' (" + message + "): check the user and password of redis.url";
    }
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException || t.getClass().getName().contains("ConnectException")) {
        return "cannot reach Redis at " + where + " (" + t.getMessage() + "): is it running and is redis.url right?";
      }
    }
    return "Redis at " + where + " failed at start-up: " + message;
  }

  private static String where(RedisEventLogOptions options) {
    try {
      java.net.URI uri = java.net.URI.create(options.url());
      return uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort());
    } catch (IllegalArgumentException e) {
      return options.url();
    }
  }

  /** The jobs that have not ended, for the watchdog (the sorted set {@code P:active}, beside the log). */
  public ActiveJobs activeJobs() {
    return active;
  }

  public RedisEventLogOptions options() {
    return options;
  }

  /** Whether the live-event connection is subscribed right now. */
  public boolean isLive() {
    return live.isUp();
  }

  /** The log's position first, then one transition there (the engine itself only uses transitions). */
  @Override
  public Future<ProgressEvent> append(String jobId, ProgressUpdate update) {
    return append(jobId, update, 3);
  }

  private Future<ProgressEvent> append(String jobId, ProgressUpdate update, int tries) {
    return history(jobId).compose(h -> {
      for (LoggedEvent e : h) {
        if (e.dedupKey().equals(update.dedupKey())) {
          return Future.succeededFuture(e.event());
        }
      }
      return transition(jobId, h.size(), List.of(update), null, 0).compose(o -> !o.conflict()
        ? Future.succeededFuture(o.appended().get(0))
        : tries > 1 ? append(jobId, update, tries - 1)
        : Future.failedFuture("job " + jobId + ": its log kept changing while appending " + update.dedupKey()));
    });
  }

  /** One script call: XLEN check, result, XADD + PUBLISH per event, state (see {@code transition.lua}). */
  @Override
  public Future<TransitionOutcome> transition(String jobId, long expectedEvents, List<ProgressUpdate> updates,
                                              JsonObject result, long submittedAt) {
    List<String> keys = List.of(eventsKey(jobId), stateKey(jobId), resultKey(jobId), active.key(), ownerKey(jobId),
      cancelKey(jobId), inputKey(jobId));
    List<String> args = new ArrayList<>(7 + 5 * updates.size());
    args.add(Long.toString(expectedEvents));
    args.add(ttlMillis);
    args.add(jobId);
    args.add(prefix + ":notify");
    args.add(result == null ? "" : result.encode());
    args.add(Long.toString(Math.max(0, submittedAt)));
    args.add(Integer.toString(updates.size()));
    for (ProgressUpdate u : updates) {
      args.add(u.dedupKey());
      args.add(u.stage());
      args.add(u.status());
      args.add(Integer.toString(u.progress()));
      args.add(u.result() == null ? "" : u.result().encode());
    }
    return script.run(redis, keys, args).map(reply -> {
      if ("conflict".equals(reply.get(0).toString())) {
        return TransitionOutcome.conflict(logged(jobId, reply.get(1)));
      }
      long ts = Long.parseLong(reply.get(1).toString());
      List<ProgressEvent> events = new ArrayList<>(updates.size());
      for (int i = 0; i < updates.size(); i++) {
        ProgressUpdate u = updates.get(i);
        events.add(new ProgressEvent(reply.get(2 + 2 * i).toString(), jobId, u.stage(), u.status(),
          Long.parseLong(reply.get(3 + 2 * i).toString()), ts, u.progress(), u.result()));
      }
      return TransitionOutcome.appended(events);
    });
  }

  @Override
  public Future<List<LoggedEvent>> history(String jobId) {
    return send(Request.cmd(Command.XRANGE).arg(eventsKey(jobId)).arg("-").arg("+")).map(r -> logged(jobId, r));
  }

  private static List<LoggedEvent> logged(String jobId, Response entries) {
    List<LoggedEvent> out = new ArrayList<>(entries == null ? 0 : entries.size());
    if (entries != null) {
      for (Response entry : entries) {
        out.add(EventCodec.loggedFromEntry(jobId, entry));
      }
    }
    return out;
  }

  @Override
  public Future<List<ProgressEvent>> readAfter(String jobId, EventId after) {
    String start = after == null || EventId.ZERO.equals(after) ? "-" : "(" + after;
    return send(Request.cmd(Command.XRANGE).arg(eventsKey(jobId)).arg(start).arg("+")).map(r -> {
      List<ProgressEvent> out = new ArrayList<>(r == null ? 0 : r.size());
      if (r != null) {
        for (Response entry : r) {
          out.add(EventCodec.fromEntry(jobId, entry));
        }
      }
      return out;
    });
  }

  @Override
  public Future<ProgressEvent> latest(String jobId) {
    return send(Request.cmd(Command.GET).arg(stateKey(jobId)))
      .map(r -> r == null ? null : EventCodec.fromJson(new JsonObject(r.toString())));
  }

  @Override
  public EventSubscription subscribe(String jobId, Handler<ProgressEvent> handler) {
    return live.subscribe(jobId, handler);
  }

  @Override
  public Future<Void> discard(String jobId) {
    return send(Request.cmd(Command.DEL).arg(eventsKey(jobId)).arg(stateKey(jobId)).arg(resultKey(jobId))
      .arg(ownerKey(jobId)).arg(cancelKey(jobId)).arg(inputKey(jobId))).compose(v -> active.unwatch(jobId));
  }

  @Override
  public Future<Void> ping() {
    if (!live.isUp()) {
      return Future.failedFuture("Redis live-event connection to " + where(options) + " is down (reconnecting)");
    }
    return send(Request.cmd(Command.PING)).<Void>mapEmpty()
      .recover(err -> Future.failedFuture("Redis at " + where(options) + " does not answer: " + err.getMessage()));
  }

  /** Ends the subscription; closes the clients only when it created them ({@link #start(Vertx, RedisEventLogOptions)}). Idempotent. */
  @Override
  public Future<Void> close() {
    return live.close().eventually(() -> owned == null ? Future.succeededFuture() : owned.close());
  }

  @Override
  public Future<Void> putResult(String jobId, JsonObject result) {
    return send(Request.cmd(Command.SET).arg(resultKey(jobId)).arg(result.encode()).arg("PX").arg(ttlMillis))
      .mapEmpty();
  }

  @Override
  public Future<JsonObject> result(String jobId) {
    return send(Request.cmd(Command.GET).arg(resultKey(jobId))).map(r -> r == null ? null : new JsonObject(r.toString()));
  }

  @Override
  public Future<JsonObject> claimIdempotencyKey(String key, JsonObject response) {
    return claim(key, response, 2);
  }

  // SET NX then GET is two commands: the holder may expire or release the key in between, so the claim is
  // tried again rather than reporting a first response that no longer exists.
  private Future<JsonObject> claim(String key, JsonObject response, int attempts) {
    String k = idempotencyKey(key);
    return send(Request.cmd(Command.SET).arg(k).arg(response.encode()).arg("NX").arg("PX").arg(idempotencyTtlMillis))
      .compose(set -> {
        if (set != null) {
          return Future.<JsonObject>succeededFuture(null);
        }
        return send(Request.cmd(Command.GET).arg(k)).compose(held -> {
          if (held != null) {
            return Future.succeededFuture(new JsonObject(held.toString()));
          }
          return attempts > 1 ? claim(key, response, attempts - 1)
            : Future.failedFuture("idempotency key '" + key + "' changed hands while being claimed");
        });
      });
  }

  @Override
  public Future<Void> releaseIdempotencyKey(String key) {
    return send(Request.cmd(Command.DEL).arg(idempotencyKey(key))).mapEmpty();
  }

  @Override
  public Future<Void> replaceIdempotencyRecord(String key, JsonObject record) {
    return send(Request.cmd(Command.SET).arg(idempotencyKey(key)).arg(record.encode()).arg("XX").arg("KEEPTTL")).mapEmpty();
  }

  // Like the owner key: the event log's TTL first, then refreshed with the job's events.
  @Override
  public Future<Void> putInput(String jobId, JsonObject input) {
    return send(Request.cmd(Command.SET).arg(inputKey(jobId)).arg(input.encode()).arg("PX").arg(ttlMillis)).mapEmpty();
  }

  @Override
  public Future<JsonObject> input(String jobId) {
    return send(Request.cmd(Command.GET).arg(inputKey(jobId))).map(r -> r == null ? null : new JsonObject(r.toString()));
  }

  // Owner and cancel keys start with the event log's TTL; every append extends them with the job's events.
  @Override
  public Future<Void> putOwner(String jobId, String owner) {
    return send(Request.cmd(Command.SET).arg(ownerKey(jobId)).arg(owner).arg("PX").arg(ttlMillis)).mapEmpty();
  }

  @Override
  public Future<String> owner(String jobId) {
    return send(Request.cmd(Command.GET).arg(ownerKey(jobId))).map(r -> r == null ? null : r.toString());
  }

  @Override
  public Future<Void> requestCancel(String jobId) {
    return send(Request.cmd(Command.SET).arg(cancelKey(jobId)).arg("1").arg("PX").arg(ttlMillis)).mapEmpty();
  }

  @Override
  public Future<java.util.Set<String>> cancelRequested(List<String> jobIds) {
    if (jobIds.isEmpty()) {
      return Future.succeededFuture(java.util.Set.of());
    }
    Request mget = Request.cmd(Command.MGET);
    jobIds.forEach(id -> mget.arg(cancelKey(id)));
    return send(mget).map(r -> {
      java.util.Set<String> out = new java.util.HashSet<>();
      for (int i = 0; i < jobIds.size(); i++) {
        if (r.get(i) != null) {
          out.add(jobIds.get(i));
        }
      }
      return out;
    });
  }

  private Future<Response> send(Request request) {
    return redis.send(request);
  }

  String eventsKey(String jobId) {
    return prefix + ":events:" + jobId;
  }

  String stateKey(String jobId) {
    return prefix + ":state:" + jobId;
  }

  String resultKey(String jobId) {
    return prefix + ":result:" + jobId;
  }

  String ownerKey(String jobId) {
    return prefix + ":owner:" + jobId;
  }

  String cancelKey(String jobId) {
    return prefix + ":cancel:" + jobId;
  }

  String inputKey(String jobId) {
    return prefix + ":input:" + jobId;
  }

  String idempotencyKey(String key) {
    return prefix + ":idempotency:" + key;
  }
}
