package org.ktl4j.dispatcher;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.ktl4j.ErrorCode;
import org.ktl4j.internal.protocol.ModifyRequest;
import org.ktl4j.internal.protocol.Names;
import org.ktl4j.internal.protocol.ProtocolJson;
import org.ktl4j.internal.protocol.StoreScript;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Stores the values of MODIFY requests and answers their writers from the outcome. Requests of a keyword without
 * a {@code write} hook that were validated while the keyword's previous store was in flight are stored together:
 * their store scripts go to Redis in one pipelined round trip, in arrival order ({@link #storeTogether}), so a busy
 * keyword costs one round trip per batch instead of one per request, while a lone request is stored at once.
 *
 * <p>Thread-safe: called from a keyword's intake or write queue, which serialises one keyword's stores; the
 * keyword's store lock keeps them apart from values set by dispatcher code. Cost: one round trip per call.
 */
final class ModifyStores {
  private static final Logger log = LoggerFactory.getLogger(ModifyStores.class);
  /** Most stores in one pipelined round trip. */
  static final int MAX_BATCH = 256;

  /** How long a store whose answer was lost is read back before giving up on it. */
  long settleNanos() {
    return settleNanos;
  }

  /**
   * A validated request of a keyword without a write hook, waiting for its store; {@code arrived} is the
   * {@link System#nanoTime()} of its arrival (for the statistics).
   */
  record Ready(ModifyRequest req, String ascii, int term, int bytes, long arrived) {}

  private final DispatcherService service;
  private final ValueStore stores;
  private final ModifyHandler handler;
  private final long settleNanos;
  private final Durability durability;

  ModifyStores(DispatcherService service, ValueStore stores, ModifyHandler handler, long settleNanos,
      Durability durability) {
    this.service = service;
    this.stores = stores;
    this.handler = handler;
    this.settleNanos = settleNanos;
    this.durability = durability;
  }

  /**
   * How long {@code WAIT} may wait for a replica: the configured wait, but no longer than the earliest writer of the
   * batch still waits for its {@code done} (at least 1 ms: {@code WAIT 1 0} would wait for ever).
   */
  private long replicaWaitMillis(List<Ready> batch) {
    long wait = durability.replicaWait().toMillis();
    long now = service.endpoint().clock().estimateMicros();
    for (Ready r : batch) {
      if (r.req().deadline().isPresent()) {
        wait = Math.min(wait, (r.req().deadline().getAsLong() - now) / 1000);
      }
    }
    return Math.max(1, wait);
  }

  /** With replica durability the script publishes nothing: {@code done} goes out only after {@code WAIT}. */
  private boolean durable() {
    return durability.replicas() > 0;
  }

  /**
   * Stores a MODIFY's value after its {@code write} hook ran: not bounded by the writer's deadline (the hardware has
   * the value, so the keyword must show it).
   */
  void storeAfterWrite(DispatcherKeyword kw, ModifyRequest req, String ascii) {
    kw.lockStores();
    try {
      long generation = kw.generation();
      StoreScript.Store s = prepare(kw, req, ascii, false);
      StoreScript.Result r;
      long replicated = -1;
      try {
        if (durable()) {
          ValueStore.Batch b = stores.runAll(List.of(s), durability.replicas(), durability.replicaWait().toMillis());
          // after a write hook the value is on the hardware: the full wait, whatever the writer's deadline
          if (b.results().get(0) instanceof JedisDataException e) { // refused: it did not run
            handler.fail(req, kw.name(), ErrorCode.WRITE_FAILED, kw + ": value '" + Names.printable(ascii)
                + "' not stored (its write hook had run): Redis refused the store (" + ModifyHandler.reason(e)
                + "); it was not stored and will not be");
            return;
          }
          r = (StoreScript.Result) b.results().get(0);
          replicated = b.replicas();
        } else {
          r = stores.run(s);
        }
      } catch (JedisException e) {
        r = settle(kw, req, ascii, false, s, e, settleNanos);
        if (r == null) {
          return;
        }
      }
      answer(kw, req, ascii, false, r, generation);
      confirm(kw, req, ascii, false, r, replicated);
    } finally {
      kw.unlockStores();
    }
  }

  /**
   * Stores the values of a keyword without a {@code write} hook, in arrival order, in one pipelined round trip; each
   * {@code done} is published by its store script, and is the request's only reply (it implies the {@code ack}).
   * Each store is bounded by its writer's deadline.
   */
  void storeTogether(DispatcherKeyword kw, List<Ready> batch) {
    kw.lockStores();
    try {
      long generation = kw.generation();
      List<StoreScript.Store> prepared = new ArrayList<>(batch.size());
      for (Ready r : batch) {
        prepared.add(prepare(kw, r.req(), r.ascii(), true));
      }
      List<Object> results;
      long replicated;
      try {
        ValueStore.Batch b = stores.runAll(prepared, durability.replicas(), replicaWaitMillis(batch));
        results = b.results();
        replicated = b.replicas();
      } catch (JedisException e) { // the connection failed before any answer
        settleFrom(kw, batch, prepared, 0, e, generation);
        return;
      }
      for (int i = 0; i < batch.size(); i++) {
        Ready ready = batch.get(i);
        Object result = results.get(i);
        if (result instanceof StoreScript.Result r) {
          answer(kw, ready.req(), ready.ascii(), true, r, generation);
          confirm(kw, ready.req(), ready.ascii(), true, r, replicated);
        } else if (result instanceof JedisDataException e) { // Redis refused this store: it did not run
          handler.fail(ready.req(), kw.name(), ErrorCode.WRITE_FAILED, kw + ": value '" + Names.printable(ready.ascii())
              + "' not stored: Redis refused the store (" + ModifyHandler.reason(e) + "); it was not stored and will not be");
        } else { // the connection failed here: this store and the later ones are unknown
          settleFrom(kw, batch, prepared, i, (JedisException) result, generation);
          return;
        }
      }
    } finally {
      kw.unlockStores();
    }
  }

  /**
   * Settles the stores from {@code from} on, whose answers were lost, as one unit. Redis ran them in order, and the
   * keyword's hash records the id of the last one that stored: every store up to that one ran (each published its
   * own {@code done}, or, refused by the script, stored nothing and told nobody, which its writer learns from its
   * deadline), and none after it stored. A store after it whose deadline has passed on the server's clock never ran
   * and never will: its writer is told {@code WRITE_FAILED}. Never a second answer to a store that ran.
   */
  private void settleFrom(DispatcherKeyword kw, List<Ready> batch, List<StoreScript.Store> prepared, int from,
      JedisException e, long generation) {
    if (from == 0 && !ValueStore.mayHaveRun(e)) {
      for (Ready ready : batch) {
        handler.fail(ready.req(), kw.name(), ErrorCode.WRITE_FAILED, kw + ": value '" + Names.printable(ready.ascii())
            + "' not stored: Redis could not be reached (" + ModifyHandler.reason(e) + "); it was not stored and will not be");
      }
      return;
    }
    log.warn("{}: no answer from Redis for {} store(s) ({}); reading back which were stored", kw, batch.size() - from,
        ModifyHandler.reason(e));
    int resolved = from - 1; // stores up to here are settled
    long end = System.nanoTime() + settleNanos;
    long backoffMs = 50;
    while (resolved < batch.size() - 1 && System.nanoTime() - end < 0) {
      StoreScript.Readback rb;
      try {
        rb = stores.readBack(prepared.get(resolved + 1));
      } catch (JedisException | IllegalStateException retry) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoffMs));
        backoffMs = Math.min(1000, backoffMs * 2);
        continue;
      }
      if (rb.lease() < 0) {
        service.leaseTaken("another dispatcher holds the lease (found while settling stores of " + kw + ")");
        return;
      }
      if (rb.lease() == 0) {
        return; // Redis lost its data (or the lease lapsed): whether they ran cannot be known; no answer is no lie
      }
      for (int i = batch.size() - 1; i > resolved; i--) {
        if (prepared.get(i).storeId().equals(rb.storeId())) {
          kw.storedModify(batch.get(i).ascii(), rb.seq(), generation); // it and every store before it ran
          if (durable()) { // they published nothing: their writers are waiting, and no replica confirmed anything
            for (int j = resolved + 1; j <= i; j++) {
              unconfirmed(kw, batch.get(j).req(), batch.get(j).ascii(), "the connection to Redis was lost before a "
                  + "replica confirmed it; it was stored on the master (or refused by it), and may be lost if the "
                  + "master fails: read the keyword");
            }
          }
          resolved = i;
          break;
        }
      }
      while (resolved < batch.size() - 1 && rb.serverMicros() > prepared.get(resolved + 1).notAfterMicros()) {
        Ready late = batch.get(++resolved); // after the last recorded store and past its deadline: it never ran
        handler.fail(late.req(), kw.name(), ErrorCode.WRITE_FAILED, kw + ": value '" + Names.printable(late.ascii())
            + "' not stored: Redis did not answer in time (" + ModifyHandler.reason(e) + "); it was not stored and "
            + "will not be");
      }
      if (resolved < batch.size() - 1) {
        long waitMs = Math.max(1, Math.min(500, (prepared.get(resolved + 1).notAfterMicros() - rb.serverMicros()) / 1000 + 1));
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(waitMs));
      }
    }
    if (resolved < batch.size() - 1) {
      log.error("{}: could not learn from Redis whether {} store(s) ran; their writers get no done and time out (Redis "
          + "refuses those stores after their deadlines)", kw, batch.size() - 1 - resolved);
    }
  }

  StoreScript.Store prepare(DispatcherKeyword kw, ModifyRequest req, String ascii, boolean caching) {
    String reply = durable() ? "" : req.reply().orElse(""); // durable: done is published after WAIT
    String prefix = reply.isEmpty() ? "" : ProtocolJson.storedPrefix(req.id(), kw.name(), ascii);
    long notAfter = caching && req.acceptBy().isPresent() ? req.acceptBy().getAsLong() : 0;
    return stores.store(kw, ascii, req.client().orElse(ModifyRequest.ANONYMOUS), false, reply, prefix, notAfter);
  }

  /**
   * A store whose answer did not come: tells the writer it failed if it provably did not run, else reads back
   * whether it ran. Null when the writer has been answered (or cannot be, truthfully) and nothing more is to be done.
   */
  StoreScript.Result settle(DispatcherKeyword kw, ModifyRequest req, String ascii, boolean caching,
      StoreScript.Store s, JedisException e, long giveUpNanos) {
    String applied = caching ? "" : " (its write hook had run)";
    if (!ValueStore.mayHaveRun(e)) {
      handler.fail(req, kw.name(), ErrorCode.WRITE_FAILED, kw + ": value '" + Names.printable(ascii) + "' not stored"
          + applied + ": Redis could not be reached (" + ModifyHandler.reason(e) + "); it was not stored and will not be");
      return null;
    }
    log.warn("{}: no answer from Redis while storing '{}' ({}); reading back whether it was stored", kw,
        Names.printable(ascii), ModifyHandler.reason(e));
    StoreScript.Result r = stores.settle(kw, s, giveUpNanos);
    if (r == null) {
      log.error("{}: could not learn from Redis whether '{}' was stored; the writer gets no done and times out "
          + "(Redis refuses that store after its deadline)", kw, Names.printable(ascii));
      return null;
    }
    if (r.outcome() == StoreScript.Outcome.EXPIRED) {
      handler.fail(req, kw.name(), ErrorCode.WRITE_FAILED, kw + ": value '" + Names.printable(ascii) + "' not stored"
          + applied + ": Redis did not answer in time (" + ModifyHandler.reason(e) + "); it was not stored and will not be");
      return null;
    }
    return r;
  }

  /**
   * With replica durability, answers a stored value's writer: {@code done} if {@code replicated} replicas confirmed it
   * in time, else {@code WRITE_FAILED} (never a late {@code done}). Without it, nothing: the script published
   * {@code done}.
   */
  private void confirm(DispatcherKeyword kw, ModifyRequest req, String ascii, boolean caching, StoreScript.Result r,
      long replicated) {
    if (!durable() || r.outcome() != StoreScript.Outcome.STORED) {
      return;
    }
    if (replicated >= durability.replicas()) {
      if (req.reply().isPresent()) {
        String done = ProtocolJson.storedPrefix(req.id(), kw.name(), ascii) + r.seq() + "}";
        try {
          service.endpoint().publish(req.reply().get(), done);
        } catch (JedisException e) {
          if (!ValueStore.mayHaveRun(e)) { // provably never sent: say what happened, once
            handler.fail(req, kw.name(), ErrorCode.WRITE_FAILED, kw + ": value '" + Names.printable(ascii) + "' is "
                + "stored and on a replica, but its done could not be sent (" + ModifyHandler.reason(e) + ")");
          } else {
            log.warn("{}: the done of a value stored and on a replica may not have reached its writer ({})", kw,
                ModifyHandler.reason(e));
          }
        }
      }
      return;
    }
    unconfirmed(kw, req, ascii, (replicated < 0 ? "Redis did not say whether a replica has it"
        : "no replica confirmed it within " + durability.replicaWait().toMillis() + " ms")
        + (caching ? "" : " (its write hook had run)") + "; it is stored on the master, and may be lost if the master "
        + "fails before a replica has it");
  }

  private void unconfirmed(DispatcherKeyword kw, ModifyRequest req, String ascii, String why) {
    handler.fail(req, kw.name(), ErrorCode.WRITE_FAILED, kw + ": value '" + Names.printable(ascii) + "' not confirmed "
        + "(durability replica): " + why);
  }

  /** Acts on a store's outcome; a stored value's {@code done} went out with the store. */
  void answer(DispatcherKeyword kw, ModifyRequest req, String ascii, boolean caching, StoreScript.Result r,
      long generation) {
    String applied = caching ? "" : " (its write hook had run)";
    switch (r.outcome()) {
      case STORED, UNCHANGED -> {
        kw.storedModify(ascii, r.seq(), generation);
        stores.checkHistory(kw, r);
      }
      case EXPIRED -> {
        if (handler.expired(caching ? req.acceptBy() : req.deadline())) {
          handler.fail(req, kw.name(), ErrorCode.EXPIRED, ModifyHandler.expiredMessage(kw, ascii, "before it was stored"));
        } else { // the store window ran out first: Redis was too slow to take the store in time
          handler.fail(req, kw.name(), ErrorCode.WRITE_FAILED, kw + ": value '" + Names.printable(ascii) + "' not stored"
              + applied + ": Redis did not run the store in time; it was not stored and will not be");
        }
      }
      case NO_LEASE -> {
        handler.fail(req, kw.name(), ErrorCode.WRITE_FAILED, kw + ": value '" + Names.printable(ascii) + "' not stored"
            + applied + ": the service's lease was missing in Redis (Redis restarted or lost its data); retry in a moment");
        service.leaseMissing();
      }
      case NOT_LEASE_HOLDER -> service.leaseTaken("Redis refused a store of " + kw);
    }
  }
}
