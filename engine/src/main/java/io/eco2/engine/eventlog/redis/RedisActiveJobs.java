package io.eco2.engine.eventlog.redis;

import io.eco2.engine.eventlog.ActiveJobs;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link ActiveJobs} in Redis: the sorted set {@code P:active} (member the job id, score the epoch ms it is
 * watched from; {@code transition.lua} adds a job with its first event and removes it with its terminal
 * one), the lease {@code P:watchdog:lease} (the holder's id, with a TTL) and {@code P:redrives:<job>}
 * (a counter expiring with the job's events). A sweep costs one {@code ZRANGEBYSCORE} with a limit: the set
 * holds only jobs that have not ended, and the oldest come first.
 */
final class RedisActiveJobs implements ActiveJobs {

  // Take the lease when free, renew it when ours, in one step: a lease that expired between a GET and a
  // SET could otherwise be taken by two processes at once.
  private static final String LEASE = """
    if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
    if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
    return 0
    """;

  private final Redis redis;
  private final String prefix;
  private final String ttlMillis;
  private final AppendScript lease = new AppendScript(LEASE);

  RedisActiveJobs(Redis redis, String prefix, String ttlMillis) {
    this.redis = redis;
    this.prefix = prefix;
    this.ttlMillis = ttlMillis;
  }

  String key() {
    return prefix + ":active";
  }

  @Override
  public Future<List<String>> watchedBefore(long before, int limit) {
    return redis.send(Request.cmd(Command.ZRANGEBYSCORE).arg(key()).arg("-inf").arg(Long.toString(before))
      .arg("LIMIT").arg("0").arg(Integer.toString(limit))).map(r -> {
        List<String> out = new ArrayList<>(r == null ? 0 : r.size());
        if (r != null) {
          for (Response member : r) {
            out.add(member.toString());
          }
        }
        return out;
      });
  }

  // XX: a job that ended meanwhile (its terminal transition removed it) is not added back.
  @Override
  public Future<Void> watchFrom(String jobId, long at) {
    return redis.send(Request.cmd(Command.ZADD).arg(key()).arg("XX").arg(Long.toString(at)).arg(jobId)).mapEmpty();
  }

  @Override
  public Future<Void> unwatch(String jobId) {
    return redis.send(Request.cmd(Command.ZREM).arg(key()).arg(jobId)).mapEmpty();
  }

  @Override
  public Future<Long> countRedrive(String jobId) {
    String k = prefix + ":redrives:" + jobId;
    return redis.send(Request.cmd(Command.INCR).arg(k)).compose(n ->
      redis.send(Request.cmd(Command.PEXPIRE).arg(k).arg(ttlMillis)).map(ignored -> n.toLong()));
  }

  @Override
  public Future<Boolean> lease(String holder, Duration ttl) {
    return lease.run(redis, List.of(prefix + ":watchdog:lease"), List.of(holder, Long.toString(ttl.toMillis())))
      .map(r -> r != null && r.toLong() == 1);
  }
}
