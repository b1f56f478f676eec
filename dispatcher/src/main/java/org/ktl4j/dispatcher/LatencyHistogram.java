package org.ktl4j.dispatcher;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A fixed-size histogram of durations in nanoseconds, log-bucketed: every power of two is split into
 * {@value #SUB_BUCKETS} buckets, so a percentile read from it is at most 12.5% above the true value (it reports the
 * upper bound of the bucket it falls in), whatever the range, from nanoseconds to centuries. It counts for ever;
 * {@link #interval()} takes the counts since the previous call, so that a periodic reader gets each period's
 * distribution without anyone ever swapping or clearing the buckets under the recorders.
 *
 * <p>Thread-safe: {@link #record} from any number of threads (one atomic increment, no lock, no allocation);
 * {@link #interval()} from one thread at a time. Memory: {@value #BUCKETS} longs, twice.
 */
final class LatencyHistogram {
  private static final int SUB_BITS = 3;
  /** Buckets per power of two. */
  static final int SUB_BUCKETS = 1 << SUB_BITS;
  /**
   * Values below {@code 2 * SUB_BUCKETS} have a bucket each; every power of two above, up to 2^62 (the highest of a
   * non-negative long), has {@code SUB_BUCKETS}: 16 + 59 * 8.
   */
  static final int BUCKETS = 2 * SUB_BUCKETS + (62 - SUB_BITS) * SUB_BUCKETS;

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
  private final long[] previous = new long[BUCKETS]; // the counts at the last interval(); its caller's only

  /** Counts one duration; negative durations count as 0. */
  void record(long nanos) {
    counts.incrementAndGet(bucket(Math.max(0, nanos)));
  }

  /** The bucket of {@code v >= 0}: {@code v} itself below {@code 2 * SUB_BUCKETS}, then 8 per power of two. */
  static int bucket(long v) {
    if (v < 2 * SUB_BUCKETS) {
      return (int) v;
    }
    int e = 63 - Long.numberOfLeadingZeros(v); // floor(log2 v) >= SUB_BITS + 1
    int sub = (int) (v >>> (e - SUB_BITS)) & (SUB_BUCKETS - 1);
    return (e - SUB_BITS + 1) * SUB_BUCKETS + sub;
  }

  /** The largest value that falls in bucket {@code i}. */
  static long upperBound(int i) {
    if (i < 2 * SUB_BUCKETS) {
      return i;
    }
    int e = i / SUB_BUCKETS + SUB_BITS - 1;
    long lower = (long) (SUB_BUCKETS + i % SUB_BUCKETS) << (e - SUB_BITS);
    long width = 1L << (e - SUB_BITS);
    return lower + (width - 1); // the last bucket ends exactly at Long.MAX_VALUE
  }

  /** The durations counted since the previous call (since creation for the first). One reader at a time. */
  Interval interval() {
    long[] now = new long[BUCKETS];
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      long c = counts.get(i);
      now[i] = c - previous[i];
      previous[i] = c;
      total += now[i];
    }
    return new Interval(now, total);
  }

  /** One period's counts. */
  static final class Interval {
    private final long[] counts;
    private final long total;

    private Interval(long[] counts, long total) {
      this.counts = counts;
      this.total = total;
    }

    /** How many durations the period counted. */
    long count() {
      return total;
    }

    /**
     * The {@code p}-th percentile ({@code 0 < p <= 100}) in nanoseconds: the upper bound of the bucket that holds the
     * duration of rank {@code ceil(p/100 * count)}; 0 when the period counted nothing.
     */
    long percentile(double p) {
      if (!(p > 0 && p <= 100)) {
        throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
      }
      if (total == 0) {
        return 0;
      }
      long rank = Math.max(1, (long) Math.ceil(p / 100.0 * total));
      long seen = 0;
      for (int i = 0; i < counts.length; i++) {
        seen += counts[i];
        if (seen >= rank) {
          return upperBound(i);
        }
      }
      return upperBound(counts.length - 1); // not reached: the counts add up to total
    }
  }
}
