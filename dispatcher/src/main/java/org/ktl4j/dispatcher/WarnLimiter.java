package org.ktl4j.dispatcher;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Limits warnings to one per sender per burst: the first bad message from a sender is logged, further ones
 * within {@code windowNanos} are only counted, and the count is reported with the next logged warning.
 * Thread-safe; one small map entry per recent sender, pruned as it grows.
 */
final class WarnLimiter {
  private final long windowNanos;
  private final ConcurrentHashMap<String, Burst> bursts = new ConcurrentHashMap<>();

  private static final class Burst {
    volatile long start;
    final AtomicInteger suppressed = new AtomicInteger();
  }

  WarnLimiter(long windowNanos) {
    this.windowNanos = windowNanos;
  }

  /** Returns -1 to suppress, otherwise the number of warnings suppressed since the last one logged. */
  int admit(String sender) {
    long now = System.nanoTime();
    if (bursts.size() > 1000) {
      bursts.entrySet().removeIf(e -> now - e.getValue().start > windowNanos);
    }
    Burst b = bursts.computeIfAbsent(sender, k -> new Burst());
    synchronized (b) {
      if (b.start != 0 && now - b.start < windowNanos) {
        b.suppressed.incrementAndGet();
        return -1;
      }
      b.start = now;
      return b.suppressed.getAndSet(0);
    }
  }
}
