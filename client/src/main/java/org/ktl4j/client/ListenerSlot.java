package org.ktl4j.client;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener of one keyword: delivers updates on the callback executor one at a time and in {@code seq}
 * order; while the listener is busy, newer values replace the one waiting (latest-value semantics), so a slow
 * listener coalesces its own keyword's updates and holds no other keyword up.
 */
final class ListenerSlot {
  private static final Logger log = LoggerFactory.getLogger(ListenerSlot.class);

  private record Pending(KeywordValue value, boolean resync) {}

  private final KeywordListener listener;
  private final Executor executor;
  private final AtomicReference<Pending> pending = new AtomicReference<>();
  private final AtomicBoolean running = new AtomicBoolean();
  private long offeredSeq = -1; // guarded by this
  private long deliveredSeq = -1; // only touched by the (single) running drain
  private volatile boolean closed;
  private volatile boolean primed;

  /**
   * @param awaitPrime hold broadcasts until {@link #prime} has been called, so that the priming value is the
   *     listener's first update
   */
  ListenerSlot(KeywordListener listener, Executor executor, boolean awaitPrime) {
    this.listener = listener;
    this.executor = executor;
    this.primed = !awaitPrime;
  }

  /** Delivers the priming read (null: never set) first, then whatever broadcasts arrived meanwhile. */
  void prime(KeywordValue v) {
    synchronized (this) {
      if (v != null) {
        if (v.seq() > offeredSeq) {
          offeredSeq = v.seq();
          pending.set(new Pending(v, true));
        } else {
          Pending p = pending.get();
          if (p != null && p.value.seq() == v.seq()) {
            pending.set(new Pending(p.value, true)); // the same value: deliver it once, as the priming read
          }
        }
      }
      primed = true;
    }
    if (pending.get() != null) {
      schedule();
    }
  }

  /**
   * A value for this listener. Values at or below the last one offered are dropped (already seen), unless
   * {@code newBaseline}: the stored numbering restarted (see {@link MonitoredKeyword}), so the value is new
   * whatever its {@code seq}, and later values count from it.
   */
  void offer(KeywordValue v, boolean resync, boolean newBaseline) {
    if (closed) {
      return;
    }
    synchronized (this) {
      if (!newBaseline && (v.seq() < offeredSeq || (v.seq() == offeredSeq && !resync))) {
        return;
      }
      offeredSeq = v.seq();
      Pending previous = pending.getAndSet(new Pending(v, resync));
      if (previous != null && previous.resync && !resync) {
        pending.set(new Pending(v, true)); // keep the gap flag of a replaced resync
      }
    }
    if (primed) {
      schedule();
    }
  }

  /** The keyword's value was deleted: a value still waiting is no longer current and is not delivered. */
  void removed() {
    synchronized (this) {
      pending.set(null);
    }
  }

  void close() {
    closed = true;
    pending.set(null);
  }

  private void schedule() {
    if (running.compareAndSet(false, true)) {
      try {
        executor.execute(this::drain);
      } catch (RejectedExecutionException e) {
        running.set(false); // client closing
      }
    }
  }

  private void drain() {
    for (int i = 0; i < 64; i++) {
      Pending p = pending.getAndSet(null);
      if (p == null || closed) {
        running.set(false);
        if (pending.get() != null && !closed && primed) {
          schedule();
        }
        return;
      }
      long coalesced = deliveredSeq < 0 || p.resync ? 0 : Math.max(0, p.value.seq() - deliveredSeq - 1);
      deliveredSeq = p.value.seq();
      try {
        listener.onUpdate(new KeywordUpdate(p.value, coalesced, p.resync));
      } catch (RuntimeException e) {
        log.warn("listener of {} failed: {}", p.value.fullName(), e.toString(), e);
      }
    }
    running.set(false);
    schedule(); // yield the thread to other keywords, then go on
  }
}
