package org.ktl4j.internal.protocol;

import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The Lua script that stores a keyword value (ktl protocol 1, "Storing a value"): one atomic step that first
 * checks that the lease still names the storing dispatcher (fencing: Redis itself refuses a stale dispatcher's
 * store) and that the store's deadline has not passed on the server's clock, then reads the current
 * {@code seq}, raises it by one, or by the number of values set from code that the store stands for (never below
 * the caller's floor, so {@code seq} never goes backwards even after Redis lost its data), writes every field with
 * one {@code HSET} (one keyspace event), appends the value to the keyword's history stream (capped at about the
 * dispatcher's history length) and, for a MODIFY,
 * publishes the writer's {@code done} with the assigned {@code seq}, so that {@code done} can never precede the
 * stored value and costs no extra round trip. {@link #SETTLE} reads back whether a store whose answer was lost
 * ran.
 *
 * <p>Thread-safe. Cost: one {@code EVALSHA} round trip; the script is loaded on first use (and again after a
 * Redis restart, on {@code NOSCRIPT}).
 */
public final class StoreScript {
  /** The script source, exactly as documented in {@code docs/protocol.md}. */
  public static final String LUA = String.join("\n",
      "local lease = redis.call('GET', KEYS[2])",
      "local cur = redis.call('HMGET', KEYS[1], 'ascii', 'seq')",
      "local seq = tonumber(cur[2]) or 0",
      "if lease ~= ARGV[8] then",
      "  if lease then return {-1, seq} end",
      "  return {-2, seq}",
      "end",
      "if ARGV[9] ~= '' then",
      "  local t = redis.call('TIME')",
      "  if tonumber(t[1]) * 1000000 + tonumber(t[2]) > tonumber(ARGV[9]) then return {-3, seq} end",
      "end",
      "if ARGV[5] == '1' and cur[1] == ARGV[1] then return {0, seq} end",
      "local floor = tonumber(ARGV[4]) or 0",
      "if floor > seq then seq = floor end",
      "seq = seq + (tonumber(ARGV[11]) or 1)",
      "local s = string.format('%d', seq)",
      "redis.call('HSET', KEYS[1], 'ascii', ARGV[1], 'ts', ARGV[2], 'seq', s, 'origin', ARGV[3], 'store', ARGV[10])",
      "local kept = 1",
      "if (tonumber(ARGV[12]) or 0) > 0 then",
      "  local h = redis.pcall('XADD', KEYS[3], 'MAXLEN', '~', ARGV[12], '*', 'ascii', ARGV[1], 'ts', ARGV[2], 'seq', s,",
      "    'origin', ARGV[3])",
      "  if type(h) == 'table' and h.err then kept = 0 end",
      "end",
      "if ARGV[6] ~= '' then redis.call('PUBLISH', ARGV[6], ARGV[7] .. s .. '}') end",
      "return {1, seq, kept}");

  /**
   * The same script for a Redis Cluster: {@code done} is published with {@code SPUBLISH}, on the shard channel that
   * the writer subscribed with {@code SSUBSCRIBE} (the reply channel carries the service's hash tag, so it is in the
   * slot of the keys, as Redis requires of a script).
   */
  public static final String LUA_SHARDED = LUA.replace("redis.call('PUBLISH',", "redis.call('SPUBLISH',");

  /**
   * Reads back, after a store whose answer was lost, whether it ran: returns
   * {@code {lease, store, seq, secs, usecs}} where {@code lease} is 1 if the lease ({@code KEYS[2]}) still
   * equals {@code ARGV[1]}, 0 if there is none and -1 if another dispatcher holds it; {@code store} and
   * {@code seq} are those fields of the keyword hash ({@code KEYS[1]}); then the server's {@code TIME}.
   */
  public static final String SETTLE = String.join("\n",
      "local lease = redis.call('GET', KEYS[2])",
      "local holds = -1",
      "if lease == ARGV[1] then holds = 1 elseif not lease then holds = 0 end",
      "local cur = redis.call('HMGET', KEYS[1], 'store', 'seq')",
      "local t = redis.call('TIME')",
      "return {holds, cur[1] or '', cur[2] or '0', t[1], t[2]}");

  /**
   * What {@link #SETTLE} read.
   *
   * @param lease        1: the lease is the caller's; 0: there is none; -1: another dispatcher holds it
   * @param storeId      the {@code store} field of the keyword ({@code ""} if none)
   * @param seq          the keyword's {@code seq}
   * @param serverMicros the server's clock
   */
  public record Readback(int lease, String storeId, long seq, long serverMicros) {}

  /** Reads back what {@code store} left in Redis (one round trip). */
  public static Readback readBack(UnifiedJedis redis, Store store) {
    List<?> r = (List<?>) redis.eval(SETTLE, store.keys(), List.of(store.lease()));
    return new Readback(((Long) r.get(0)).intValue(), text(r.get(1)), Long.parseLong(text(r.get(2))),
        Long.parseLong(text(r.get(3))) * 1_000_000L + Long.parseLong(text(r.get(4))));
  }

  private static String text(Object o) {
    return o instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(o);
  }

  private static final String SHA = sha1(LUA);
  private static final String SHA_SHARDED = sha1(LUA_SHARDED);

  private StoreScript() {}

  /** What a store did. */
  public enum Outcome {
    /** Stored, {@code seq} raised, {@code done} published (for a MODIFY). */
    STORED,
    /** Skipped: the stored value is identical and the caller asked to store only changes. */
    UNCHANGED,
    /** Refused: the lease names another dispatcher (the caller is stale and must stop serving). */
    NOT_LEASE_HOLDER,
    /** Refused: there is no lease (Redis lost it, or it expired); the caller must take it again first. */
    NO_LEASE,
    /** Refused: the server's clock is past the store's deadline. */
    EXPIRED
  }

  /**
   * The outcome, and the keyword's {@code seq} afterwards (before, when refused); {@code historyKept} is false when the
   * value was stored but could not be appended to the history (its key holds something other than a stream).
   */
  public record Result(Outcome outcome, long seq, boolean historyKept) {
    /** A result whose history, if any, was kept. */
    public Result(Outcome outcome, long seq) {
      this(outcome, seq, true);
    }

    /** True if the value was stored. */
    public boolean stored() {
      return outcome == Outcome.STORED;
    }
  }

  /**
   * One store, in the script's argument layout (the only place that layout is written).
   *
   * @param key            the keyword hash ({@link Keys#keyword(String)})
   * @param leaseKey       the service's lease ({@link Keys#lease()})
   * @param lease          the storing dispatcher's lease value, exactly as it wrote it
   * @param ascii          canonical ascii value
   * @param ts             protocol timestamp
   * @param origin         who caused it
   * @param seqFloor       the caller's last known seq for this keyword (0 if none)
   * @param onlyIfChanged  skip storing when the stored ascii equals {@code ascii}
   * @param replyChannel   channel to publish {@code done} on, or empty
   * @param donePrefix     {@link ProtocolJson#storedPrefix} for that reply, or empty
   * @param notAfterMicros the server time (microseconds since the epoch) after which the store is refused; 0
   *                       for none
   * @param storeId        the caller's id of this store, recorded in the {@code store} field for read-back
   * @param count          how many values the store stands for: 1 for a MODIFY; for values set from code faster than
   *                       they could be stored, how many were set since the last store ({@code seq} rises by it)
   * @param historyKey     the keyword's history stream ({@link Keys#history(String)})
   * @param historyLength  how many values the history keeps (at least; Redis trims it in whole nodes); 0 for none
   */
  public record Store(String key, String leaseKey, String lease, String ascii, String ts, String origin, long seqFloor,
                      boolean onlyIfChanged, String replyChannel, String donePrefix, long notAfterMicros,
                      String storeId, long count, String historyKey, int historyLength) {
    /** {@code KEYS}. */
    public List<String> keys() {
      return List.of(key, leaseKey, historyKey);
    }

    /** {@code ARGV}. */
    public List<String> args() {
      return List.of(ascii, ts, origin, Long.toString(seqFloor), onlyIfChanged ? "1" : "0", replyChannel, donePrefix,
          lease, notAfterMicros > 0 ? Long.toString(notAfterMicros) : "", storeId, Long.toString(count),
          Integer.toString(historyLength));
    }
  }

  /**
   * Runs a store ({@code EVALSHA}, falling back to {@code EVAL} on {@code NOSCRIPT}); {@code sharded}: on a cluster
   * ({@link #LUA_SHARDED}).
   */
  public static Result store(UnifiedJedis redis, Store store, boolean sharded) {
    List<String> keys = store.keys();
    List<String> args = store.args();
    Object r;
    try {
      r = redis.evalsha(sha(sharded), keys, args);
    } catch (JedisNoScriptException e) {
      r = redis.eval(lua(sharded), keys, args);
    }
    return result(r);
  }

  /** Decodes the script's reply. */
  public static Result result(Object reply) {
    List<?> list = (List<?>) reply;
    long code = (Long) list.get(0);
    long seq = (Long) list.get(1);
    Outcome o = switch ((int) code) {
      case 1 -> Outcome.STORED;
      case 0 -> Outcome.UNCHANGED;
      case -1 -> Outcome.NOT_LEASE_HOLDER;
      case -2 -> Outcome.NO_LEASE;
      case -3 -> Outcome.EXPIRED;
      default -> throw new IllegalStateException("store script returned unknown code " + code);
    };
    return new Result(o, seq, list.size() < 3 || (Long) list.get(2) != 0);
  }

  /** The script's SHA-1, as used with {@code EVALSHA}. */
  public static String sha() {
    return SHA;
  }

  /** The SHA-1 of {@link #LUA_SHARDED} if {@code sharded}, else of {@link #LUA}. */
  public static String sha(boolean sharded) {
    return sharded ? SHA_SHARDED : SHA;
  }

  /** {@link #LUA_SHARDED} if {@code sharded}, else {@link #LUA}. */
  public static String lua(boolean sharded) {
    return sharded ? LUA_SHARDED : LUA;
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
