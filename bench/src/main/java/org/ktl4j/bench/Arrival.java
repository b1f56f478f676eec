package org.ktl4j.bench;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Where a callback reports the numbered values it received and a measuring thread waits for one. The same
 * hand-off serves floors, ktl4j and PVA, so that it adds the same cost to each side. One waiting thread at a
 * time; callbacks from any thread.
 */
final class Arrival {
  private volatile long seen = Long.MIN_VALUE;
  private volatile Thread waiter;

  /** A callback received value {@code n}. */
  void arrived(long n) {
    if (n > seen) {
      seen = n;
    }
    Thread w = waiter;
    if (w != null) {
      LockSupport.unpark(w);
    }
  }

  /** Waits until value {@code n} (or a later one) has arrived. */
  void await(long n, Duration timeout) throws TimeoutException {
    if (seen >= n) {
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    waiter = Thread.currentThread();
    try {
      while (seen < n) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new TimeoutException("value " + n + " did not arrive within " + timeout + " (last " + seen + ")");
        }
        LockSupport.parkNanos(this, Math.min(left, 10_000_000L));
      }
    } finally {
      waiter = null;
    }
  }

  /** The value an ascii form such as {@code "12"} or {@code "12.0"} stands for. */
  static long number(String ascii) {
    return (long) Double.parseDouble(ascii);
  }
}
