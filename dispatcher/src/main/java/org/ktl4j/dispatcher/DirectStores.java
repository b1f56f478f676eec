package org.ktl4j.dispatcher;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.ktl4j.protocol.ErrorCode;
import org.ktl4j.protocol.ModifyRequest;
import org.ktl4j.protocol.Names;
import org.ktl4j.protocol.StoreScript;
import org.ktl4j.redis.CommandStream;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.type.InvalidValueException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Stores MODIFY values of caching keywords (no hooks) straight from the pub/sub reader thread, without a thread
 * hand-off: the reader validates the value and sends its store script on a connection of its own
 * ({@link CommandStream}, {@code ktl-stores}) without waiting, and one thread ({@code ktl-<svc>-stores}), waiting in
 * the socket (so that a send wakes no thread), reads the answers in order and acts on them. The script publishes the writer's {@code done} itself, so the answer thread is
 * off the writer's path; it updates the keyword and answers refusals, exactly as a store from the intake queue would.
 *
 * <p>A request takes this path only when nothing else of its keyword is queued or being stored (it takes the
 * keyword's store permit without waiting, and holds it until its answer is read), so per-keyword order and the
 * order against values set by dispatcher code are those of the intake path. At most {@value #MAX_IN_FLIGHT} stores
 * and {@value #MAX_IN_FLIGHT_CHARS} characters of values are in flight, far below the socket buffers, so the reader
 * never blocks on a send; beyond that, and while the connection is down, requests take the intake path. When the
 * connection fails, or the oldest answer is overdue by the command timeout ({@link #checkOverdue()}, called every
 * second), every store in flight is read back and answered truthfully (as in {@link ModifyStores}), then the
 * connection is opened again.
 *
 * <p>Thread-safe: {@link #tryStore} from the reader thread only. Cost: one connection and one thread, idle between
 * answers.
 */
final class DirectStores implements AutoCloseable {
  /** Most stores sent and not yet answered. */
  static final int MAX_IN_FLIGHT = 256;
  /** Most characters of values in stores sent and not yet answered. */
  static final int MAX_IN_FLIGHT_CHARS = 64 * 1024;
  private static final Logger log = LoggerFactory.getLogger(DirectStores.class);

  private record InFlight(CommandStream stream, DispatcherKeyword kw, ModifyStores.Ready ready, StoreScript.Store store,
                          long generation, int chars, long sentNanos) {}

  private final String service;
  private final RedisSettings settings;
  private final ModifyHandler handler;
  private final ModifyStores stores;
  private final ValueStore values;
  private final ArrayBlockingQueue<InFlight> inFlight = new ArrayBlockingQueue<>(MAX_IN_FLIGHT);
  private final AtomicInteger inFlightChars = new AtomicInteger();
  private final Thread thread;
  private volatile CommandStream stream; // null while not connected
  private volatile boolean wanted;
  private volatile boolean closed;

  DirectStores(String service, RedisSettings settings, ModifyHandler handler, ModifyStores stores, ValueStore values) {
    this.service = service;
    this.settings = settings;
    this.handler = handler;
    this.stores = stores;
    this.values = values;
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

  /**
   * Reader thread: sends the store of an admitted, current request now if it can. True when sent: this then owns
   * the request (answers it if need be, releases its admission and its keyword's store permit). False when nothing
   * was sent: the caller still owns it and queues it on the intake path, which validates it again and answers it.
   */
  boolean tryStore(DispatcherKeyword kw, ModifyRequest req, int term, int bytes) {
    CommandStream s = stream;
    if (s == null || closed || kw.behaviorOrNull() != null || kw.definition().readonly()
        || kw.intake.pending() != 0 || kw.readyCount.get() != 0 || inFlight.remainingCapacity() == 0
        || inFlightChars.get() + req.value().length() > MAX_IN_FLIGHT_CHARS) {
      return false;
    }
    String canonical;
    try {
      canonical = kw.type().canonicalize(req.value());
    } catch (InvalidValueException e) {
      return false; // refused on the intake path, with its reason
    }
    if (!kw.tryLockStores()) {
      return false; // a store of this keyword is in flight: this one waits its turn on the intake path
    }
    boolean queued = false;
    try {
      int chars = canonical.length();
      InFlight f = new InFlight(s, kw, new ModifyStores.Ready(req, canonical, term, bytes),
          stores.prepare(kw, req, canonical, true), kw.generation(), chars, System.nanoTime());
      if (!inFlight.offer(f)) {
        return false;
      }
      queued = true;
      inFlightChars.addAndGet(chars);
      try {
        s.send(evalsha(f.store()));
      } catch (JedisException e) {
        s.close(); // the answer thread finds it broken and reads back whether the store ran
      }
      return true;
    } finally {
      if (!queued) {
        kw.unlockStores();
      }
    }
  }

  private static CommandArguments evalsha(StoreScript.Store s) {
    CommandArguments a = new CommandArguments(Protocol.Command.EVALSHA).add(StoreScript.sha());
    List<String> keys = s.keys();
    a.add(keys.size());
    for (String k : keys) {
      a.key(k);
    }
    for (String v : s.args()) {
      a.add(v);
    }
    return a;
  }

  /**
   * Closes the connection if the oldest store in flight has waited longer than the command timeout for its answer:
   * the answer thread then reads back what ran. Any thread; called every second.
   */
  void checkOverdue() {
    InFlight oldest = inFlight.peek();
    CommandStream s = stream;
    if (oldest != null && s != null && oldest.stream() == s
        && System.nanoTime() - oldest.sentNanos() > settings.timeout().toNanos()) {
      log.warn("service {}: Redis at {} has not answered a store for {} ms; closing that connection", service,
          settings.address(), settings.timeout().toMillis());
      s.close();
    }
  }

  private void run() {
    long backoffMs = 100;
    while (!closed) {
      try {
        CommandStream s = stream;
        if (s == null) {
          if (!wanted || !connect()) {
            Thread.sleep(backoffMs); // reconnection backoff, on this thread only
            backoffMs = Math.min(2000, backoffMs * 2);
          } else {
            backoffMs = 100;
          }
          continue;
        }
        answerNext(s);
      } catch (InterruptedException e) {
        if (closed) {
          return;
        }
      } catch (RuntimeException e) {
        log.error("service {}: unexpected failure on the store answer thread; going on", service, e);
      }
    }
  }

  /** Waits in the socket for the next answer, then acts on it (or on the connection's failure). */
  private void answerNext(CommandStream s) {
    Object reply = null;
    JedisDataException refused = null;
    try {
      reply = s.read();
    } catch (JedisDataException e) {
      refused = e;
    } catch (JedisException e) {
      broken(s, e);
      return;
    }
    InFlight f = inFlight.poll(); // queued before its send: the answer's store is here
    while (f != null && f.stream() != s) { // sent on an earlier connection, after that one failed
      lost(List.of(f), new JedisConnectionException("the connection it was sent on failed"));
      f = inFlight.poll();
    }
    if (f == null) {
      log.error("service {}: an answer from Redis at {} with no store in flight; reconnecting", service,
          settings.address());
      broken(s, new JedisConnectionException("answer with no store in flight"));
      return;
    }
    if (refused != null) {
      refused(f, refused);
      return;
    }
    try {
      stores.answer(f.kw(), f.ready().req(), f.ready().ascii(), true, StoreScript.result(reply), f.generation());
    } finally {
      finish(f);
    }
  }

  /** The connection failed: the reader sends no more on it, and every store sent on it is read back. */
  private void broken(CommandStream s, JedisException e) {
    if (stream == s) {
      stream = null;
    }
    s.close();
    List<InFlight> lost = new ArrayList<>();
    for (InFlight g : inFlight) {
      if (g.stream() == s) {
        lost.add(g);
      }
    }
    inFlight.removeAll(lost);
    if (!lost.isEmpty()) {
      log.warn("service {}: no answer from Redis for {} store(s) sent from the reader ({}); reading back which ran",
          service, lost.size(), ModifyHandler.reason(e));
      lost(lost, e);
    } else if (!closed && wanted) {
      log.debug("service {}: store connection closed ({}); reopening", service, e.getMessage());
    }
  }

  /** Redis answered with an error: the script did not run. After a restart it is not loaded yet: run it now. */
  private void refused(InFlight f, JedisDataException e) {
    try {
      if (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")) {
        StoreScript.Result r;
        try {
          r = values.run(f.store()); // loads the script; the keyword's permit is still held, so order is kept
        } catch (JedisDataException refusedAgain) {
          fail(f, refusedAgain);
          return;
        } catch (JedisException again) {
          StoreScript.Result settled = stores.settle(f.kw(), f.ready().req(), f.ready().ascii(), true, f.store(), again,
              stores.settleNanos());
          if (settled != null) {
            stores.answer(f.kw(), f.ready().req(), f.ready().ascii(), true, settled, f.generation());
          }
          return;
        }
        stores.answer(f.kw(), f.ready().req(), f.ready().ascii(), true, r, f.generation());
        return;
      }
      fail(f, e);
    } finally {
      finish(f);
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
   * within one settle time (so that many stores lost together while Redis is unreachable give up together).
   */
  private void lost(List<InFlight> lost, JedisException e) {
    long end = System.nanoTime() + stores.settleNanos();
    for (InFlight f : lost) {
      try {
        long giveUp = Math.max(1, end - System.nanoTime());
        StoreScript.Result r = stores.settle(f.kw(), f.ready().req(), f.ready().ascii(), true, f.store(), e, giveUp);
        if (r != null) {
          stores.answer(f.kw(), f.ready().req(), f.ready().ascii(), true, r, f.generation());
        }
      } catch (RuntimeException unexpected) {
        log.error("service {}: could not settle a store of {}", service, f.kw(), unexpected);
      } finally {
        finish(f);
      }
    }
  }

  private void finish(InFlight f) {
    inFlightChars.addAndGet(-f.chars());
    handler.release(f.ready().bytes());
    f.kw().unlockStores();
  }

  private boolean connect() {
    try {
      stream = CommandStream.open(settings, "ktl-stores");
      log.debug("service {}: store connection to {} open", service, settings.address());
      return true;
    } catch (JedisException | IllegalStateException e) {
      log.debug("service {}: store connection to {} not open ({}); stores go through the intake queues", service,
          settings.address(), e.getMessage());
      return false;
    }
  }

  /**
   * Stops taking stores, waits up to {@code waitMillis} for the answers of those in flight, then closes the
   * connection and stops the thread. Stores still in flight then are answered by Redis (the script publishes
   * {@code done}) or expire there.
   */
  @Override
  public void close() {
    close(settings.timeout().toMillis());
  }

  void close(long waitMillis) {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    wanted = false;
    while (!inFlight.isEmpty() && System.nanoTime() - end < 0 && thread.isAlive()) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    closed = true;
    thread.interrupt();
    CommandStream s = stream;
    if (s != null) {
      s.close();
    }
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
