package io.eco2.engine.eventlog.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The event log's Lua script ({@code transition.lua}), run with EVALSHA and, when the server does not know it (NOSCRIPT: Redis was
 * restarted or its script cache flushed), once more with EVAL, which also caches it again.
 *
 * <p>Why a script at all: the position check (XLEN), the result, XADD, the TTLs, the state key and the
 * notifications must happen as one step, or two workers redelivering the same step could both log it and a
 * subscriber could see an event the state key does not reflect yet.
 */
final class AppendScript {

  static final String RESOURCE = "/io/eco2/engine/eventlog/redis/transition.lua";

  private final String source;
  private final String sha;

  AppendScript() {
    this(resource(RESOURCE));
  }


  /** A script of the given text (tests use a variant the server has never seen, to exercise NOSCRIPT). */
  AppendScript(String source) {
    this.source = source;
    this.sha = sha1(source);
  }

  static String resource() {
    return resource(RESOURCE);
  }

  static String resource(String name) {
    try (InputStream in = AppendScript.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String sha() {
    return sha;
  }

  /** Caches the script on the server, so the first append needs no fallback; checks that it compiles. */
  Future<Void> load(Redis redis) {
    return redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(source)).compose(r -> sha.equals(r.toString())
      ? Future.succeededFuture()
      : Future.failedFuture("SCRIPT LOAD answered sha " + r + ", expected " + sha));
  }

  /** Runs the script with the given keys and arguments; the reply is the script's array. */
  Future<Response> run(Redis redis, List<String> keys, List<String> args) {
    return redis.send(request(Command.EVALSHA, sha, keys, args)).recover(err -> {
      // Matched on the message: the error type lives in the client's impl package.
      if (err.getMessage() != null && err.getMessage().startsWith("NOSCRIPT")) {
        return redis.send(request(Command.EVAL, source, keys, args));
      }
      return Future.failedFuture(err);
    });
  }

  private static Request request(Command cmd, String script, List<String> keys, List<String> args) {
    Request r = Request.cmd(cmd).arg(script).arg(keys.size());
    keys.forEach(r::arg);
    args.forEach(r::arg);
    return r;
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every JVM", e);
    }
  }
}
