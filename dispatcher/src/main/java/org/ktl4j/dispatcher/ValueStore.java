package org.ktl4j.dispatcher;

import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.ktl4j.internal.protocol.Keys;
import org.ktl4j.internal.protocol.RateLimitedLog;
import org.ktl4j.internal.protocol.StoreScript;
import org.ktl4j.internal.protocol.StoredValue;
import org.ktl4j.internal.redis.RedisConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisRedirectionException;

/**
 * Runs the store script ({@link StoreScript}) for one dispatcher and settles stores whose answer was lost.
 * Every store carries the lease value (Redis refuses it from a stale dispatcher) and a unique store id that
 * the script records, so that after a connection drops mid-store the dispatcher can read back whether the store
 * ran: a writer then gets exactly one true {@code done}, never a {@code WRITE_FAILED} for a value that was in
 * fact stored, nor a second {@code done}.
 *
 * <p>Thread-safe. Cost: one round trip per store;
 * a settle costs one round trip per attempt, only after a failure.
 */
final class ValueStore {
  private static final Logger log = LoggerFactory.getLogger(ValueStore.class);

  private final DispatcherService service;
  private final RedisConnections endpoint;
  private final Keys keys;
  private final LeaseKeeper lease;
  private final String idPrefix = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16) + ".";
  private final AtomicLong counter = new AtomicLong();
  private final long windowMicros;
  private final int historyLength;
  private final RateLimitedLog historyLog = new RateLimitedLog(log, java.time.Duration.ofMinutes(1));

  /**
   * @param window how long (server clock) a store without a deadline of its own may still run after it was
   *               sent; past it the script refuses it, which is what lets a lost store be settled
   * @param historyLength how many last values each keyword's history stream keeps (0: none)
   */
  ValueStore(DispatcherService service, RedisConnections endpoint, Keys keys, LeaseKeeper lease,
      java.time.Duration window, int historyLength) {
    this.historyLength = historyLength;
    this.service = service;
    this.endpoint = endpoint;
    this.keys = keys;
    this.lease = lease;
    this.windowMicros = window.toNanos() / 1000;
  }

  /**
   * A store of {@code ascii} for keyword {@code kw}, refused by Redis after {@code notAfterMicros} (0: none)
   * or after the store window from now, whichever comes first: the window bounds how long a store whose
   * answer was lost takes to settle, even for a writer whose own deadline is a minute away.
   */
  StoreScript.Store store(DispatcherKeyword kw, String ascii, String origin, boolean onlyIfChanged, String reply,
      String donePrefix, long notAfterMicros) {
    return store(kw, ascii, StoredValue.now(), 1, origin, onlyIfChanged, reply, donePrefix, notAfterMicros);
  }

  private StoreScript.Store store(DispatcherKeyword kw, String ascii, String ts, long count, String origin,
      boolean onlyIfChanged, String reply, String donePrefix, long notAfterMicros) {
    long window = lease.clock().estimateMicros() + windowMicros;
    long notAfter = notAfterMicros > 0 ? Math.min(notAfterMicros, window) : window;
    return new StoreScript.Store(keys.keyword(kw.name()), lease.key(), lease.value(), ascii, ts, origin, kw.seq(),
        onlyIfChanged, reply, donePrefix, notAfter, idPrefix + counter.incrementAndGet(), count,
        keys.history(kw.name()), historyLength);
  }

  /**
   * Stores the latest value set from code, set at {@code micros} (its {@code ts}), standing for {@code count} values
   * set since the last store ({@code seq} rises by it); false to keep it for later (Redis unreachable, or the lease
   * not held now).
   */
  boolean storeFromCode(DispatcherKeyword kw, String ascii, long micros, long count, boolean force) {
    try {
      StoreScript.Result r = run(store(kw, ascii, StoredValue.formatMicros(micros), count, "dispatcher",
          !force && count == 1, "", "", 0));
      switch (r.outcome()) {
        case STORED, UNCHANGED -> {
          kw.stored(r.seq());
          checkHistory(kw, r);
          return true;
        }
        case NOT_LEASE_HOLDER -> {
          service.leaseTaken("Redis refused a store of " + kw);
          return true; // never stored by this dispatcher again
        }
        case NO_LEASE -> {
          service.leaseMissing();
          return false;
        }
        default -> {
          return false; // EXPIRED: Redis was too slow to take it in time; stored again later
        }
      }
    } catch (JedisException | IllegalStateException e) {
      log.debug("{}: value not stored yet ({}); kept until Redis is back", kw, e.getMessage());
      return false;
    }
  }

  /**
   * Logs (at most once a minute for the service) that a value was stored but its history was not kept: the history
   * key holds something other than a stream. The value and its answer stand; only the history misses it.
   */
  void checkHistory(DispatcherKeyword kw, StoreScript.Result r) {
    if (!r.historyKept()) {
      historyLog.warn(() -> kw + ": value stored, but not added to its history: " + keys.history(kw.name())
          + " is not a stream (written by something else?); delete it (DEL) and the next value starts it again");
    }
  }

  /** Runs a store. */
  StoreScript.Result run(StoreScript.Store s) {
    return StoreScript.store(endpoint.commands(), s, endpoint.isCluster());
  }

  /**
   * Runs stores in one pipelined round trip, in order. Each element of the result is the store's
   * {@link StoreScript.Result}; a {@code JedisDataException} with which Redis refused that store (it did not run); or,
   * after the connection failed, the (non-data) {@code JedisException} for that store and every later one (each may
   * or may not have run; if one ran, every one before it did). When the script cache was flushed (a Redis restart:
   * every store answered {@code NOSCRIPT}) the batch runs again one store at a time, in order, loading the script
   * with the first; stores answered {@code NOSCRIPT} among others that ran are refused, never run out of order.
   *
   * @throws JedisException if the connection failed before any answer: then each store may or may not have run
   *     (in order)
   */
  List<Object> runAll(List<StoreScript.Store> batch) {
    return runAll(batch, 0, 0).results();
  }

  /**
   * The results of a pipelined batch of stores, and how many replicas confirmed them ({@code WAIT}), or -1 when none
   * were asked for or the answer was lost.
   */
  record Batch(List<Object> results, long replicas) {}

  /**
   * As {@link #runAll(List)}; with {@code replicas > 0}, a {@code WAIT replicas waitMillis} follows the stores on the
   * same connection, in the same round trip, and its answer says how many replicas hold every store of the batch.
   */
  Batch runAll(List<StoreScript.Store> batch, int replicas, long waitMillis) {
    Batch b = pipeline(batch, replicas, waitMillis);
    boolean allNoScript = true;
    boolean allMoved = true;
    for (Object r : b.results()) {
      allNoScript &= r instanceof JedisDataException e && isNoScript(e);
      allMoved &= r instanceof JedisRedirectionException;
    }
    if (allMoved) { // a cluster pipeline does not follow MOVED: none ran; one at a time through the client, which does
      return new Batch(oneByOne(batch), -1);
    }
    if (!allNoScript) {
      return b;
    }
    try { // a restarted Redis (or a new master): load it there, then run the batch again, in order
      endpoint.commandAt(batch.get(0).key(), Protocol.Command.SCRIPT, "LOAD", StoreScript.lua(endpoint.isCluster()));
      return pipeline(batch, replicas, waitMillis);
    } catch (JedisDataException e) { // SCRIPT LOAD not allowed (an ACL user): one store at a time, EVAL loading it
      return new Batch(oneByOne(batch), -1);
    }
  }

  /** Runs stores one at a time, in order (EVALSHA, then EVAL on NOSCRIPT); after a connection failure, unknown. */
  private List<Object> oneByOne(List<StoreScript.Store> batch) {
    List<Object> results = new ArrayList<>(batch.size());
    for (StoreScript.Store s : batch) {
      try {
        results.add(run(s));
      } catch (JedisDataException e) {
        results.add(e);
      } catch (JedisException e) { // this one and every later one: unknown
        while (results.size() < batch.size()) {
          results.add(e);
        }
        break;
      }
    }
    return results;
  }

  private Batch pipeline(List<StoreScript.Store> batch, int replicas, long waitMillis) {
    List<Response<Object>> responses = new ArrayList<>(batch.size());
    Response<Long> acked = null;
    try (AbstractPipeline p = endpoint.commands().pipelined()) {
      for (StoreScript.Store s : batch) {
        responses.add(p.evalsha(StoreScript.sha(endpoint.isCluster()), s.keys(), s.args()));
      }
      if (replicas > 0) {
        acked = p.waitReplicas(batch.get(0).key(), replicas, waitMillis);
      }
      p.sync();
    }
    List<Object> results = new ArrayList<>(batch.size());
    for (Response<Object> r : responses) {
      try {
        results.add(StoreScript.result(r.get()));
      } catch (JedisDataException e) {
        results.add(e);
      } catch (IllegalStateException e) { // never answered: a cluster pipeline drops a node that fails during sync
        JedisConnectionException lost = new JedisConnectionException("the answer to a store was lost with its "
            + "connection", e);
        while (results.size() < batch.size()) {
          results.add(lost); // this one and every later one: unknown (if one ran, every one before it did)
        }
        break;
      }
    }
    long confirmed = -1;
    if (acked != null) {
      try {
        confirmed = acked.get();
      } catch (RuntimeException e) { // an error or an unexpected reply to WAIT: no confirmation
        confirmed = -1;
      }
    }
    return new Batch(results, confirmed);
  }

  private static boolean isNoScript(JedisDataException e) {
    return e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT");
  }

  /** What the keyword's hash records now (the last store that ran, its seq), the lease and the server's clock. */
  StoreScript.Readback readBack(StoreScript.Store s) {
    return StoreScript.readBack(endpoint.commands(), s);
  }

  /**
   * Whether a failed store may have run: the command may have reached Redis before the connection broke or
   * the answer timed out. False when it provably never left (no pooled connection, connection refused).
   */
  static boolean mayHaveRun(JedisException e) {
    if (e instanceof JedisDataException) {
      return false; // Redis answered with an error: the script did not store
    }
    if (e instanceof JedisClusterOperationException) {
      // a cluster client sends a command again after a connection failure: whatever the last attempt met, an
      // earlier one may have run
      return true;
    }
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException || t instanceof NoSuchElementException) {
        return false;
      }
      if (t instanceof SocketTimeoutException || t instanceof SocketException) {
        return true;
      }
    }
    return e instanceof JedisConnectionException;
  }

  /**
   * Settles a store that may have run: reads back until the answer is certain, for at most {@code giveUpNanos}
   * of this host's time. A store whose id is not in Redis once the server's clock is past its deadline never
   * ran and never will (the script refuses it after that instant).
   *
   * @return {@link StoreScript.Outcome#STORED} with its seq, {@link StoreScript.Outcome#EXPIRED} (not stored, and
   *     never will be), {@link StoreScript.Outcome#NOT_LEASE_HOLDER}, or null if Redis could not be asked in time
   *     or lost the lease meanwhile (then whether the store ran cannot be known, and no {@code done} is sent)
   */
  StoreScript.Result settle(DispatcherKeyword kw, StoreScript.Store s, long giveUpNanos) {
    long end = System.nanoTime() + giveUpNanos;
    long backoffMs = 50;
    while (System.nanoTime() - end < 0) {
      try {
        StoreScript.Readback r = StoreScript.readBack(endpoint.commands(), s);
        if (r.storeId().equals(s.storeId())) {
          return new StoreScript.Result(StoreScript.Outcome.STORED, r.seq());
        }
        if (r.lease() < 0) {
          return new StoreScript.Result(StoreScript.Outcome.NOT_LEASE_HOLDER, r.seq());
        }
        if (r.lease() == 0) {
          // no lease: Redis lost its data (or the lease lapsed) since the store was sent; if the store ran, its
          // done went out and the value is gone with the data; no answer is the only one that cannot be a lie
          return null;
        }
        if (r.serverMicros() > s.notAfterMicros()) {
          return new StoreScript.Result(StoreScript.Outcome.EXPIRED, r.seq());
        }
        long waitMs = Math.max(1, Math.min(500, (s.notAfterMicros() - r.serverMicros()) / 1000 + 1));
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(waitMs));
      } catch (JedisException | IllegalStateException e) {
        log.debug("{}: settling store {} failed ({}); retrying", kw, s.storeId(), e.getMessage());
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoffMs));
        backoffMs = Math.min(1000, backoffMs * 2);
      }
      if (Thread.currentThread().isInterrupted()) {
        return null;
      }
    }
    return null;
  }
}
