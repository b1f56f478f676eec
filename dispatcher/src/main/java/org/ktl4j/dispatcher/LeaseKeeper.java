package org.ktl4j.dispatcher;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.ktl4j.UnavailableException;
import org.ktl4j.internal.protocol.DispatcherLease;
import org.ktl4j.internal.redis.RedisClock;
import org.ktl4j.internal.redis.RedisConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Holds the {@code ktl:{svc}:dispatcher} lease and is the dispatcher's fence: it knows, from its own clock,
 * until when the lease is provably held ({@link #holds()}): the start of the last successful renewal plus the
 * TTL, less a margin. Past that instant the dispatcher serves nothing, runs no hook and stores nothing until a
 * renewal succeeds; the store script refuses stale stores in Redis itself, so a dispatcher paused between its
 * check and its store is refused too.
 *
 * <p>It takes the lease with {@code SET NX PX} at start-up (waiting out a stale lease left by a crash), renews
 * it on its own thread ({@code ktl-<svc>-lease}, so that renewal never waits behind recovery or hooks) every
 * third of the TTL, and releases it only if it is still its own. Each renewal also reads the server's
 * {@code TIME}, keeping the {@link RedisClock} that deadlines are judged by.
 *
 * <p>Every lapse (the fence closing because renewals did not succeed in time) starts a new <em>term</em>:
 * work received in an earlier term is never served in a later one. Thread-safe; {@link #holds()} is two
 * volatile reads and a clock read.
 */
final class LeaseKeeper {
  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

  /** What a renewal found. */
  enum Renewal { RENEWED, RETAKEN, LOST }

  /** What the dispatcher is told, on the lease thread. */
  interface Events {
    /** The lease lapsed locally and is about to be held again: close the door on older work first. */
    void beforeRegain(int newTerm);

    /** The lease is held again after a lapse, or was taken again after it vanished from Redis. */
    void regained(boolean retaken);

    /** Another dispatcher holds the lease: stop serving for good. */
    void lost(String holder);
  }

  private static final String RENEW = String.join("\n",
      "local t = redis.call('TIME')",
      "local v = redis.call('GET', KEYS[1])",
      "if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return {1, t[1], t[2]} end",
      "if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return {2, t[1], t[2]} end",
      "return {0, t[1], t[2]}");
  private static final String RELEASE = String.join("\n",
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end",
      "return 0");

  private final String key;
  private final String service;
  private final String value;
  private final Duration ttl;
  private final long marginNanos;
  private final RedisConnections endpoint;
  private final RedisClock clock;
  private volatile long validUntilNanos;
  private volatile boolean held;
  private volatile boolean lost;
  private volatile int term;
  private final Object renewLock = new Object();
  private Events events;

  LeaseKeeper(String service, String key, DispatcherLease lease, Duration ttl, RedisConnections endpoint) {
    this.service = service;
    this.key = key;
    this.value = lease.toJson();
    this.ttl = ttl;
    this.marginNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(50), ttl.toNanos() / 10);
    this.endpoint = endpoint;
    this.clock = endpoint.clock();
  }

  /** The lease value this dispatcher writes (the store script compares it). */
  String value() {
    return value;
  }

  String key() {
    return key;
  }

  /** The server clock deadlines are judged by. */
  RedisClock clock() {
    return clock;
  }

  /** True while the lease is provably held: renewed recently enough, never lost. */
  boolean holds() {
    return held && !lost && System.nanoTime() - validUntilNanos < 0;
  }

  /** The current term; work stamped with an older term is not served. */
  int term() {
    return term;
  }

  /** True once another dispatcher was found holding the lease. */
  boolean isLost() {
    return lost;
  }

  /**
   * Takes the lease, waiting up to twice its TTL for a stale one to expire.
   *
   * @throws LeaseHeldException naming the holder if another dispatcher keeps renewing it
   */
  void acquire(UnifiedJedis redis, Runnable pause) {
    long deadline = System.nanoTime() + ttl.multipliedBy(2).plusMillis(500).toNanos();
    String holder = null;
    while (true) {
      long start = System.nanoTime();
      String ok = redis.set(key, value, SetParams.setParams().nx().px(ttl.toMillis()));
      if ("OK".equals(ok)) {
        validUntilNanos = start + ttl.toNanos() - marginNanos;
        held = true;
        clock.sampleNow(); // deadlines are judged by the server's clock from the first request on
        return;
      }
      String current = redis.get(key);
      if (current != null) {
        holder = current;
      }
      if (System.nanoTime() > deadline) {
        throw new LeaseHeldException("service '" + service + "' is already served by a running dispatcher: "
            + describe(holder) + " (its lease " + key + " is being renewed)");
      }
      pause.run();
    }
  }

  /** Renews every third of the TTL on {@code thread} (the lease's own), telling {@code events}. */
  void startRenewing(ScheduledExecutorService thread, Events events) {
    this.events = events;
    long every = Math.max(100, ttl.toMillis() / 3);
    thread.scheduleWithFixedDelay(this::renewQuietly, every, every, TimeUnit.MILLISECONDS);
  }

  /** One renewal now, on the calling thread; failures are logged and retried by the schedule. */
  void renewQuietly() {
    synchronized (renewLock) { // never concurrently with release(): a renewal must not take back a released lease
      if (lost || !held) {
        return;
      }
      try {
        renew();
      } catch (RuntimeException e) {
        log.debug("service {}: lease renewal failed ({}); retrying", service, e.getMessage());
      }
    }
  }

  /** One renewal; tells the events what it found. Under {@code renewLock}. */
  private Renewal renew() {
    long start = System.nanoTime();
    long sentMicros = RedisClock.localMicros();
    List<?> r = (List<?>) endpoint.commands().eval(RENEW, List.of(key), List.of(value, Long.toString(ttl.toMillis())));
    clock.offer(RedisClock.micros(r.get(1), r.get(2)), sentMicros, RedisClock.localMicros());
    long code = (Long) r.get(0);
    if (code == 0) {
      lost = true;
      String holder = holderQuietly();
      if (events != null) {
        events.lost(holder);
      }
      return Renewal.LOST;
    }
    boolean lapsed = System.nanoTime() - validUntilNanos >= 0;
    if (lapsed && events != null) {
      events.beforeRegain(++term); // before the fence opens: nothing received during the lapse gets through
    }
    validUntilNanos = start + ttl.toNanos() - marginNanos;
    if ((lapsed || code == 2) && events != null) {
      events.regained(code == 2);
    }
    return code == 2 ? Renewal.RETAKEN : Renewal.RENEWED;
  }

  /** Who holds the lease now, for messages. */
  String holderQuietly() {
    try {
      return describe(endpoint.commands().get(key));
    } catch (RuntimeException e) {
      return "another dispatcher";
    }
  }

  /** Releases the lease if it is still ours; the fence closes first. */
  void release() {
    synchronized (renewLock) {
      held = false;
      endpoint.commands().eval(RELEASE, List.of(key), List.of(value));
    }
  }

  /** Marks the lease lost (Redis refused a store because another dispatcher holds it). */
  void markLost() {
    lost = true;
  }

  private static String describe(String holder) {
    if (holder == null) {
      return "nobody";
    }
    try {
      return DispatcherLease.fromJson(holder).describe();
    } catch (RuntimeException e) {
      return org.ktl4j.internal.protocol.Names.printable(holder);
    }
  }

  /** The lease is held by another running dispatcher. */
  static final class LeaseHeldException extends UnavailableException {
    private static final long serialVersionUID = 1L;

    LeaseHeldException(String message) {
      super(message);
    }
  }
}
