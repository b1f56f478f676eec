package org.ktl4j.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.ktl4j.dispatcher.DispatcherKeyword;

/**
 * Values set from dispatcher code ({@link DispatcherKeyword#set}) across every keyword of many dispatchers, in a
 * closed loop with at most {@code window} values set and not yet stored: a keyword is set again only once its last
 * value is stored (its {@code seq} rose), so no value coalesces with another and every {@code set()} is one store
 * script, one {@code HSET} and one keyspace notification. Keywords are taken in turn, service by service, so
 * consecutive values go to different services (and, on a cluster, different masters).
 *
 * <p>Used by one thread at a time; it runs on the caller's thread and polls the keywords in flight (a volatile read
 * each), sleeping 20 µs when none has been stored since the last look. Holds no resources.
 */
final class CodeStores {
  private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(30);
  /** How long after a round a value may stay unstored before it is set again (see {@link #resets()}). */
  private static final long RESET_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final DispatcherKeyword[] keywords;
  private final int[] inFlight;
  private final long[] seqBefore;
  private final boolean[] busy;
  private int count; // entries of inFlight in use
  private int next; // the next keyword to set, in turn
  private long value;
  private long resets;
  private long abandoned;

  /** {@code byService.get(s).get(k)}: keyword {@code k} of service {@code s}; every service has as many keywords. */
  CodeStores(List<List<DispatcherKeyword>> byService, int window) {
    int services = byService.size();
    int per = byService.get(0).size();
    keywords = new DispatcherKeyword[services * per];
    for (int k = 0; k < per; k++) {
      for (int s = 0; s < services; s++) {
        keywords[k * services + s] = byService.get(s).get(k);
      }
    }
    int w = Math.min(window, keywords.length);
    inFlight = new int[w];
    seqBefore = new long[keywords.length];
    busy = new boolean[keywords.length];
  }

  /**
   * Sets values for {@code nanos}, then waits (at most 30 s; then {@link #abandoned()}) until every value set is stored,
   * setting again those not stored after 2 s ({@link #resets()}); returns {values stored,
   * nanos from the start until the last was stored}.
   */
  long[] run(long nanos) {
    long t0 = System.nanoTime();
    long end = t0 + nanos;
    long stored = 0;
    while (System.nanoTime() < end) {
      int reaped = reap();
      stored += reaped;
      while (count < inFlight.length) {
        int i = next;
        next = (next + 1) % keywords.length;
        if (busy[i]) {
          continue;
        }
        DispatcherKeyword kw = keywords[i];
        seqBefore[i] = kw.seq();
        busy[i] = true;
        inFlight[count++] = i;
        kw.set(Long.toString(++value % 1_000_000_000L + 1)); // always a new value: never skipped as unchanged
      }
      if (reaped == 0) {
        LockSupport.parkNanos(20_000);
      }
    }
    long drained = System.nanoTime();
    long deadline = drained + DRAIN_NANOS;
    long nextReset = drained + RESET_NANOS;
    while (count > 0) {
      stored += reap();
      long now = System.nanoTime();
      if (now > deadline) { // the lease lost for good: give them up, and say so
        abandoned += count;
        for (int j = 0; j < count; j++) {
          busy[inFlight[j]] = false;
        }
        count = 0;
        break;
      }
      if (now > nextReset) { // a store that failed is not retried by the dispatcher until the next set()
        for (int j = 0; j < count; j++) {
          keywords[inFlight[j]].set(Long.toString(++value % 1_000_000_000L + 1));
          resets++;
        }
        nextReset = now + RESET_NANOS;
      }
      LockSupport.parkNanos(50_000);
    }
    return new long[] {stored, System.nanoTime() - t0};
  }

  /**
   * How many values were set again because the one set before was still not stored 2 s after the round: a store from
   * code that fails (no pooled connection in time, or Redis too slow to run it before its deadline) keeps the value
   * pending in the dispatcher, which stores it only at the keyword's next {@code set()}, a reconnection or a lease
   * regained.
   */
  long resets() {
    return resets;
  }

  /** How many values were given up on, still not stored 30 s after their round (even set again). */
  long abandoned() {
    return abandoned;
  }

  /** Takes the stored keywords out of the window; returns how many. */
  private int reap() {
    int done = 0;
    for (int j = count - 1; j >= 0; j--) {
      int i = inFlight[j];
      if (keywords[i].seq() > seqBefore[i]) {
        busy[i] = false;
        inFlight[j] = inFlight[--count];
        done++;
      }
    }
    return done;
  }
}
