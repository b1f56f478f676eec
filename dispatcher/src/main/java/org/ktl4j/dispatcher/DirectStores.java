package org.ktl4j.dispatcher;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.ktl4j.ErrorCode;
import org.ktl4j.internal.protocol.Keys;
import org.ktl4j.internal.protocol.ModifyRequest;
import org.ktl4j.internal.protocol.Names;
import org.ktl4j.internal.protocol.StoreScript;
import org.ktl4j.internal.redis.CommandStream;
import org.ktl4j.internal.redis.RedisConnections;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.type.InvalidValueException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisRedirectionException;

/**
 * Stores MODIFY values of caching keywords (no hooks) straight from the pub/sub reader thread, without a thread
 * hand-off: the reader validates the value and sends its store script on a connection of its own
 * ({@link CommandStream}, {@code ktl-stores}) without waiting, and one thread ({@code ktl-<svc>-stores}), waiting in
 * the socket (so that a send wakes no thread), reads the answers in order and acts on them. The script publishes the
 * writer's {@code done} itself, so the answer thread is off the writer's path; it updates the keyword and answers
 * refusals, exactly as a store from the intake queue would.
 *
 * <p>A request takes this path only when nothing else of its keyword is queued or being stored (it takes the
 * keyword's store permit without waiting, and holds it until its answer is read), so per-keyword order and the
 * order against values set by dispatcher code are those of the intake path. At most {@value #MAX_IN_FLIGHT} stores
 * and {@value #MAX_IN_FLIGHT_BYTES} bytes of commands are in flight, below the socket buffers, so the reader never
 * blocks on a send; beyond that, and while the connection is down, requests take the intake path. When the
 * connection fails, or an answer is overdue by the command timeout while the answer thread waits for it
 * ({@link #checkOverdue()}, every second), every store in flight on it is read back and answered truthfully (as in
 * {@link ModifyStores}), and a new connection is opened.
 *
 * <p>Thread-safe: {@link #tryStore} from the reader thread only. Cost: one connection and one thread, idle between
 * answers.
 */
final class DirectStores implements AutoCloseable {
  /** Most stores sent and not yet answered. */
  static final int MAX_IN_FLIGHT = 256;
  /** Most bytes of commands sent and not yet answered (counted at 3 bytes a character): far below socket buffers. */
  static final int MAX_IN_FLIGHT_BYTES = 32 * 1024;
  private static final Logger log = LoggerFactory.getLogger(DirectStores.class);

  private record InFlight(CommandStream stream, DispatcherKeyword kw, ModifyStores.Ready ready, StoreScript.Store store,
                          long generation, int bytes, long sentNanos) {}

  private final String service;
  private final RedisSettings settings;
  private final RedisConnections endpoint;
  private final ModifyHandler handler;
  private final ModifyStores stores;
  private final ValueStore values;
  private final ArrayBlockingQueue<InFlight> inFlight = new ArrayBlockingQueue<>(MAX_IN_FLIGHT);
  private final Thread thread;
  /** Held while a store is queued and sent, and while a failed connection is taken down: never both at once. */
  private final Object streamLock = new Object();
  private final AtomicLong settled = new AtomicLong();
  private volatile CommandStream stream; // written under streamLock; null while not connected
  private int inFlightBytes; // guarded by streamLock
  private volatile long readingSince; // when the answer thread began waiting in the socket; 0 while it is not
  private volatile boolean wanted;
  /**
   * A connection to a node the service's slot has left, to close once its last answer is read; answer thread only.
   * While it is set no new connection is opened, so its answers, first in the in-flight queue, are read next.
   */
  private CommandStream closeWhenAnswered;
  /** The key whose server stores go to: on a cluster, the master of the service's slot. */
  private final String routeKey;
  /** On a cluster, the script publishes {@code done} with {@code SPUBLISH}. */
  private final boolean sharded;
  private volatile boolean closed;

  DirectStores(String service, RedisConnections endpoint, ModifyHandler handler, ModifyStores stores, ValueStore values) {
    this.service = service;
    this.endpoint = endpoint;
    this.settings = endpoint.settings();
    this.handler = handler;
    this.stores = stores;
    this.values = values;
    this.routeKey = Keys.of(service).lease();
    this.sharded = endpoint.isCluster();
    this.thread = new Thread(this::run, "ktl-" + service + "-stores");
    thread.setDaemon(true);
  }

  /** Opens the connection (on its own thread) and starts taking stores once it is open. */
  void start() {
    wanted = true;
    if (thread.getState() == Thread.State.NEW) {
      thread.start();
    }
  }

  /** Stores sent and not yet answered. */
  int inFlight() {
    return inFlight.size();
  }

  /** Stores whose answers were lost with their connection and were read back, since start. */
  long settled() {
    return settled.get();
  }

  /**
   * Reader thread: sends the store of an admitted, current request now if it can. True when sent: this then owns
   * the request (answers it if need be, releases its admission and its keyword's store permit). False when nothing
   * was sent: the caller still owns it and queues it on the intake path, which validates it again and answers it.
   */
  boolean tryStore(DispatcherKeyword kw, ModifyRequest req, int term, int bytes, long arrived) {
    CommandStream s = stream;
    if (s == null || !wanted || kw.behaviorOrNull() != null || kw.definition().readonly()
        || kw.intake.pending() != 0 || kw.readyCount.get() != 0 || inFlight.remainingCapacity() == 0) {
      return false;
    }
    if (!kw.tryLockStores()) {
      return false; // a store of this keyword is in flight or waiting: this one waits its turn on the intake path
    }
    boolean queued = false;
    try {
      String canonical = kw.type().canonicalize(req.value());
      StoreScript.Store store = stores.prepare(kw, req, canonical, true);
      CommandArguments command = new CommandArguments(Protocol.Command.EVALSHA).add(StoreScript.sha(sharded));
      int size = evalsha(store, command);
      InFlight f = new InFlight(s, kw, new ModifyStores.Ready(req, canonical, term, bytes, arrived), store,
          kw.generation(), size, System.nanoTime());
      synchronized (streamLock) {
        if (stream != s || s.isDead() || inFlightBytes + size > MAX_IN_FLIGHT_BYTES || !inFlight.offer(f)) {
          return false;
        }
        queued = true;
        inFlightBytes += size;
        try {
          s.send(command);
        } catch (JedisException e) {
          // the stream is dead now: the answer thread reads back whether this store and those before it ran
        }
      }
      return true;
    } catch (InvalidValueException | RuntimeException e) {
      return false; // refused (or failed) on the intake path, with its reason
    } finally {
      if (!queued) {
        kw.unlockStores();
      }
    }
  }

  /**
   * Adds the store's keys and arguments to {@code a} (an {@code EVALSHA} of the store script); returns at least the
   * bytes the command takes on the wire: 3 bytes a character, plus each argument's header.
   */
  private static int evalsha(StoreScript.Store s, CommandArguments a) {
    long n = 64;
    List<String> keys = s.keys();
    a.add(keys.size());
    for (String k : keys) {
      a.key(k);
      n += 16 + 3L * k.length();
    }
    for (String v : s.args()) {
      a.add(v);
      n += 16 + 3L * v.length();
    }
    return (int) Math.min(Integer.MAX_VALUE, n);
  }

  /**
   * Closes the connection if the answer thread has waited in it longer than the command timeout for the answer of a
   * store sent longer ago than that: the answer thread then reads back what ran. Any thread; called every second.
   */
  void checkOverdue() {
    long since = readingSince;
    InFlight oldest = inFlight.peek();
    long now = System.nanoTime();
    long timeout = settings.timeout().toNanos();
    if (since != 0 && oldest != null && now - since > timeout && now - oldest.sentNanos() > timeout
        && !oldest.stream().isDead()) {
      log.warn("service {}: Redis at {} has not answered a store for {} ms; closing that connection", service,
          settings.address(), settings.timeout().toMillis());
      oldest.stream().close();
    }
  }

  private void run() {
    long backoffMs = 100;
    try {
      while (!closed) {
        try {
          CommandStream old = closeWhenAnswered;
          if (old != null) { // a moved slot's connection: read its last answers (each re-run) before opening anew
            answerNext(old);
            continue;
          }
          CommandStream s = stream;
          if (s == null) {
            String tried = endpoint.currentServer(routeKey);
            if (wanted && connect()) {
              backoffMs = 100;
            } else {
              backOff(backoffMs, tried);
              backoffMs = Math.min(2000, backoffMs * 2);
            }
            continue;
          }
          answerNext(s);
        } catch (InterruptedException e) {
          // close() interrupts: the loop condition decides
        } catch (RuntimeException e) {
          log.error("service {}: unexpected failure on the store answer thread; going on", service, e);
        }
      }
    } finally { // closing (or an Error): nothing more is sent, and nothing stays locked
      CommandStream s;
      synchronized (streamLock) {
        closed = true;
        s = stream;
        stream = null;
      }
      if (s != null) {
        s.close();
      }
      for (InFlight f; (f = inFlight.poll()) != null; ) {
        finish(f); // their writers get the script's done, or time out
      }
    }
  }

  /**
   * Waits {@code ms} before the next connection attempt, on this thread only; less when the server to connect to is
   * no longer {@code tried} (behind Sentinel: a new master was named).
   */
  private void backOff(long ms, String tried) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    while (System.nanoTime() - end < 0 && !closed && tried.equals(endpoint.currentServer(routeKey))) {
      Thread.sleep(Math.min(50, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
    }
  }

  /** Waits in the socket for the next answer, then acts on it (or on the connection's failure). */
  private void answerNext(CommandStream s) {
    Object reply = null;
    JedisDataException refused = null;
    readingSince = System.nanoTime();
    try {
      reply = s.read();
    } catch (JedisDataException e) {
      refused = e;
    } catch (JedisException e) {
      readingSince = 0;
      broken(s, e);
      return;
    } finally {
      readingSince = 0;
    }
    InFlight f = inFlight.peek();
    if (f == null || f.stream() != s) { // cannot happen: every store of a live stream is queued before it is sent
      log.error("service {}: an answer from Redis at {} that matches no store sent on it; reconnecting", service,
          settings.address());
      broken(s, new JedisConnectionException("an answer that matches no store"));
      return;
    }
    inFlight.poll();
    synchronized (streamLock) {
      inFlightBytes -= f.bytes();
    }
    if (s == closeWhenAnswered && inFlight.stream().noneMatch(g -> g.stream() == s)) {
      closeWhenAnswered = null;
      s.close(); // a moved slot's connection, answered in full
    }
    try {
      if (refused != null) {
        refused(f, refused);
      } else {
        stores.answer(f.kw(), f.ready().req(), f.ready().ascii(), true, StoreScript.result(reply), f.generation());
      }
    } finally {
      finish(f);
    }
  }

  /** The connection failed: nothing more is sent on it, and every store sent on it is read back. */
  private void broken(CommandStream s, JedisException e) {
    if (s == closeWhenAnswered) {
      closeWhenAnswered = null;
    }
    List<InFlight> lost = new ArrayList<>();
    synchronized (streamLock) {
      if (stream == s) {
        stream = null;
      }
      s.close();
      for (InFlight g : inFlight) {
        if (g.stream() == s) {
          lost.add(g);
          inFlightBytes -= g.bytes();
        }
      }
      inFlight.removeAll(lost);
    }
    if (!lost.isEmpty()) {
      log.warn("service {}: no answer from Redis for {} store(s) sent from the reader ({}); reading back which ran",
          service, lost.size(), ModifyHandler.reason(e));
      lost(lost, e);
    } else if (!closed && wanted) {
      log.debug("service {}: store connection closed ({}); reopening", service, e.getMessage());
    }
  }

  /**
   * Redis answered with an error: the script did not run. After a restart it is not loaded yet, and on a cluster the
   * service's slot may have moved to another node ({@code MOVED}): run it now, through the pool (which follows the
   * slot), and on a moved slot open this connection again, to the slot's new master.
   */
  private void refused(InFlight f, JedisDataException e) {
    if (e instanceof JedisRedirectionException) {
      moved(f.stream());
    } else if (e.getMessage() == null || !e.getMessage().startsWith("NOSCRIPT")) {
      fail(f, e);
      return;
    }
    StoreScript.Result r;
    try {
      r = values.run(f.store()); // loads the script; the keyword's permit is still held, so its order is kept
    } catch (JedisDataException refusedAgain) {
      fail(f, refusedAgain);
      return;
    } catch (JedisException again) {
      r = stores.settle(f.kw(), f.ready().req(), f.ready().ascii(), true, f.store(), again, stores.settleNanos());
      if (r == null) {
        return; // answered, or cannot be truthfully
      }
    }
    stores.answer(f.kw(), f.ready().req(), f.ready().ascii(), true, r, f.generation());
  }

  /**
   * The service's slot has left the node {@code s} is connected to: nothing more is sent on it, and it is closed; the
   * stores still in flight on it are answered {@code MOVED} too, and each is run through the pool, in order.
   */
  private void moved(CommandStream s) {
    synchronized (streamLock) {
      if (stream == s) {
        stream = null;
        log.info("service {}: its slot has moved to another node; reopening the store connection to it", service);
      }
    }
    // closed once its last answer is read: the answers of stores sent before this one are still in its socket
    if (inFlight.stream().noneMatch(g -> g.stream() == s)) {
      s.close();
    } else {
      closeWhenAnswered = s;
    }
  }

  private void fail(InFlight f, JedisDataException e) {
    DispatcherKeyword kw = f.kw();
    handler.fail(f.ready().req(), kw.name(), ErrorCode.WRITE_FAILED, kw + ": value '"
        + Names.printable(f.ready().ascii()) + "' not stored: Redis refused the store (" + ModifyHandler.reason(e)
        + "); it was not stored and will not be");
  }

  /**
   * Stores whose answers were lost with their connection: each is read back until it is known whether it ran, all
   * within one settle time (so that many stores lost together while Redis is unreachable give up together). Once
   * closing, they are only released: their writers get the script's {@code done}, or time out.
   */
  private void lost(List<InFlight> lost, JedisException e) {
    long end = System.nanoTime() + stores.settleNanos();
    for (InFlight f : lost) {
      try {
        if (!closed) {
          long giveUp = Math.max(1, end - System.nanoTime());
          StoreScript.Result r = stores.settle(f.kw(), f.ready().req(), f.ready().ascii(), true, f.store(), e, giveUp);
          settled.incrementAndGet();
          if (r != null) {
            stores.answer(f.kw(), f.ready().req(), f.ready().ascii(), true, r, f.generation());
          }
        }
      } catch (RuntimeException unexpected) {
        log.error("service {}: could not settle a store of {}", service, f.kw(), unexpected);
      } finally {
        finish(f);
      }
    }
  }

  private void finish(InFlight f) {
    handler.answered(f.ready().bytes(), f.ready().arrived());
    f.kw().unlockStores();
  }

  private boolean connect() {
    CommandStream s;
    try {
      s = endpoint.openStream("ktl-stores", routeKey);
    } catch (RuntimeException e) {
      log.debug("service {}: store connection to {} not open ({}); stores go through the intake queues", service,
          settings.address(), e.getMessage());
      return false;
    }
    synchronized (streamLock) {
      if (closed) {
        s.close();
        return false;
      }
      stream = s;
    }
    log.debug("service {}: store connection to {} open", service, settings.address());
    return true;
  }

  /** Stops taking stores, waits for the answers in flight (bounded by the command timeout), then stops. */
  @Override
  public void close() {
    long end = System.nanoTime() + settings.timeout().toNanos();
    wanted = false;
    while (!inFlight.isEmpty() && System.nanoTime() - end < 0 && thread.isAlive()) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    CommandStream s;
    synchronized (streamLock) {
      closed = true;
      s = stream;
      stream = null;
    }
    if (s != null) {
      s.close(); // the answer thread, waiting in it, wakes and ends
    }
    thread.interrupt();
    try {
      thread.join(settings.timeout().toMillis() + 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
