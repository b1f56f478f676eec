package org.ktl4j.protocol;

import java.util.List;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The Lua script that stores a keyword value (ktl protocol 1, "Storing a value"): one atomic step that reads
 * the current {@code seq}, raises it by one (never below the caller's floor, so {@code seq} never goes
 * backwards even after Redis lost its data), writes every field with one {@code HSET} (one keyspace event)
 * and, for a MODIFY, publishes the writer's {@code done} with the assigned {@code seq}, so that {@code done}
 * can never precede the stored value and costs no extra round trip.
 *
 * <p>Thread-safe. Cost: one {@code EVALSHA} round trip; the script is loaded on first use (and again after a
 * Redis restart, on {@code NOSCRIPT}).
 */
public final class StoreScript {
  /** The script source, exactly as documented in {@code docs/protocol.md}. */
  public static final String LUA = String.join("\n",
      "local cur = redis.call('HMGET', KEYS[1], 'ascii', 'seq')",
      "local seq = tonumber(cur[2]) or 0",
      "if ARGV[5] == '1' and cur[1] == ARGV[1] then return {0, seq} end",
      "local floor = tonumber(ARGV[4]) or 0",
      "if floor > seq then seq = floor end",
      "seq = seq + 1",
      "local s = string.format('%d', seq)",
      "redis.call('HSET', KEYS[1], 'ascii', ARGV[1], 'ts', ARGV[2], 'seq', s, 'origin', ARGV[3])",
      "if ARGV[6] ~= '' then redis.call('PUBLISH', ARGV[6], ARGV[7] .. s .. '}') end",
      "return {1, seq}");

  private static final String SHA = sha1(LUA);

  private StoreScript() {}

  /** The outcome: whether a value was stored, and the keyword's {@code seq} afterwards. */
  public record Result(boolean stored, long seq) {}

  /**
   * Stores a value.
   *
   * @param key          the keyword hash ({@link Keys#keyword(String)})
   * @param ascii        canonical ascii value
   * @param ts           protocol timestamp
   * @param origin       who caused it
   * @param seqFloor     the caller's last known seq for this keyword (0 if none)
   * @param onlyIfChanged skip storing when the stored ascii equals {@code ascii}
   * @param replyChannel channel to publish {@code done} on, or empty
   * @param donePrefix   {@link ProtocolJson#storedPrefix} for that reply, or empty
   */
  public static Result store(RedisClient redis, String key, String ascii, String ts, String origin, long seqFloor,
      boolean onlyIfChanged, String replyChannel, String donePrefix) {
    List<String> keys = List.of(key);
    List<String> args = List.of(ascii, ts, origin, Long.toString(seqFloor), onlyIfChanged ? "1" : "0",
        replyChannel, donePrefix);
    Object r;
    try {
      r = redis.evalsha(SHA, keys, args);
    } catch (JedisNoScriptException e) {
      r = redis.eval(LUA, keys, args);
    }
    List<?> list = (List<?>) r;
    return new Result(((Long) list.get(0)) == 1L, (Long) list.get(1));
  }

  /** The script's SHA-1, as used with {@code EVALSHA}. */
  public static String sha() {
    return SHA;
  }

  private static String sha1(String s) {
    try {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-1");
      return java.util.HexFormat.of().formatHex(md.digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

}
