package org.ktl4j.dispatcher;

import java.time.Duration;
import java.util.List;
import org.ktl4j.UnavailableException;
import org.ktl4j.protocol.DispatcherLease;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;

/**
 * Holds the {@code ktl:{svc}:dispatcher} lease: takes it with {@code SET NX PX} at start-up (waiting out a
 * stale lease left by a crash), renews it, and releases it only if it is still ours. Each operation is one
 * round trip (renew and release are Lua scripts that compare the holder first). Thread-safe.
 */
final class LeaseKeeper {
  /** What a renewal found. */
  enum Renewal { RENEWED, RETAKEN, LOST }

  private static final String RENEW = String.join("\n",
      "local v = redis.call('GET', KEYS[1])",
      "if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end",
      "if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 2 end",
      "return 0");
  private static final String RELEASE = String.join("\n",
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end",
      "return 0");

  private final String key;
  private final String service;
  private final String value;
  private final Duration ttl;

  LeaseKeeper(String service, String key, DispatcherLease lease, Duration ttl) {
    this.service = service;
    this.key = key;
    this.value = lease.toJson();
    this.ttl = ttl;
  }

  /**
   * Takes the lease, waiting up to twice its TTL for a stale one to expire.
   *
   * @throws LeaseHeldException naming the holder if another dispatcher keeps renewing it
   */
  void acquire(RedisClient redis, Runnable pause) {
    long deadline = System.nanoTime() + ttl.multipliedBy(2).plusMillis(500).toNanos();
    String holder = null;
    while (true) {
      String ok = redis.set(key, value, SetParams.setParams().nx().px(ttl.toMillis()));
      if ("OK".equals(ok)) {
        return;
      }
      String current = redis.get(key);
      if (current != null) {
        holder = current;
      }
      if (System.nanoTime() > deadline) {
        String who;
        try {
          who = DispatcherLease.fromJson(holder).describe();
        } catch (RuntimeException e) {
          who = String.valueOf(holder);
        }
        throw new LeaseHeldException("service '" + service + "' is already served by a running dispatcher: " + who
            + " (its lease " + key + " is being renewed)");
      }
      pause.run();
    }
  }

  Renewal renew(RedisClient redis) {
    Object r = redis.eval(RENEW, List.of(key), List.of(value, Long.toString(ttl.toMillis())));
    long code = (Long) r;
    return code == 1 ? Renewal.RENEWED : code == 2 ? Renewal.RETAKEN : Renewal.LOST;
  }

  /** Who holds the lease now, for messages. */
  String holder(RedisClient redis) {
    String v = redis.get(key);
    if (v == null) {
      return "nobody";
    }
    try {
      return DispatcherLease.fromJson(v).describe();
    } catch (RuntimeException e) {
      return v;
    }
  }

  void release(RedisClient redis) {
    redis.eval(RELEASE, List.of(key), List.of(value));
  }

  /** The lease is held by another running dispatcher. */
  static final class LeaseHeldException extends UnavailableException {
    private static final long serialVersionUID = 1L;

    LeaseHeldException(String message) {
      super(message);
    }
  }
}
