package io.eco2.engine.llm.ratelimit;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run by its SHA-1 ({@code EVALSHA}), sent in full only when Redis does not know it yet
 * ({@code NOSCRIPT}: first use, or after a Redis restart), so the common call carries 40 bytes of script.
 */
final class RedisScript {

  private final String source;
  private final String sha;

  RedisScript(String source) {
    this.source = source;
    this.sha = sha1(source);
  }

  Future<Response> run(RedisAPI api, List<String> keys, List<String> args) {
    return api.evalsha(command(sha, keys, args)).recover(err -> {
      String msg = err.getMessage();
      return msg != null && msg.startsWith("NOSCRIPT") ? api.eval(command(source, keys, args)) : Future.failedFuture(err);
    });
  }

  private static List<String> command(String script, List<String> keys, List<String> args) {
    List<String> cmd = new ArrayList<>(2 + keys.size() + args.size());
    cmd.add(script);
    cmd.add(Integer.toString(keys.size()));
    cmd.addAll(keys);
    cmd.addAll(args);
    return cmd;
  }

  private static String sha1(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every JVM", e);
    }
  }
}
