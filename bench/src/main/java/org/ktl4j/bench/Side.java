package org.ktl4j.bench;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One side of a comparison (a floor, ktl4j, or PVA): an operation timed in a closed loop, its latencies merged
 * over every round into one histogram (nanoseconds, 3 significant digits). Used by one thread at a time.
 */
final class Side {
  /** The operation; each call does one complete operation and returns when it is complete. */
  @FunctionalInterface
  interface Op {
    void once() throws Exception;
  }

  private static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(60);

  final String name;
  final Op op;
  final Histogram histogram = new Histogram(MAX_NANOS, 3);
  long operations;

  Side(String name, Op op) {
    this.name = name;
    this.op = op;
  }

  /** Runs the operation back to back for {@code nanos}; records each latency unless {@code record} is false. */
  void run(long nanos, boolean record) throws Exception {
    long end = System.nanoTime() + nanos;
    long now;
    do {
      long t0 = System.nanoTime();
      op.once();
      now = System.nanoTime();
      if (record) {
        histogram.recordValue(Math.min(MAX_NANOS, now - t0));
        operations++;
      }
    } while (now < end);
  }

  long p50() {
    return histogram.getValueAtPercentile(50);
  }

  long p99() {
    return histogram.getValueAtPercentile(99);
  }
}
