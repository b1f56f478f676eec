package org.ktl4j.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The log-bucketed histogram behind the dispatcher's p99: bucket bounds, percentiles and per-period intervals. */
class LatencyHistogramTest {

  @Test
  void everyValueFallsInTheBucketWhoseBoundsHoldIt() {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 100_000; i++) {
      long v = i < 10_000 ? i : random.nextLong(Long.MAX_VALUE) >>> random.nextInt(63);
      int b = LatencyHistogram.bucket(v);
      assertThat(b).isBetween(0, LatencyHistogram.BUCKETS - 1);
      assertThat(v).as("value %d in bucket %d", v, b).isLessThanOrEqualTo(LatencyHistogram.upperBound(b));
      if (b > 0) {
        assertThat(v).as("value %d in bucket %d", v, b).isGreaterThan(LatencyHistogram.upperBound(b - 1));
      }
    }
    assertThat(LatencyHistogram.bucket(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.BUCKETS - 1);
    assertThat(LatencyHistogram.upperBound(LatencyHistogram.BUCKETS - 1)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void aBucketIsAtMostAnEighthOfItsLowerBoundWide() {
    for (int b = 17; b < LatencyHistogram.BUCKETS; b++) {
      long lower = LatencyHistogram.upperBound(b - 1) + 1;
      long upper = LatencyHistogram.upperBound(b);
      assertThat(upper - lower).as("bucket %d", b).isLessThan(lower / 8); // exact: doubles round these
    }
  }

  @Test
  void percentileOfUniformTimesIsWithinAnEighthAbove() {
    LatencyHistogram h = new LatencyHistogram();
    for (long us = 1; us <= 1000; us++) {
      h.record(us * 1000);
    }
    LatencyHistogram.Interval i = h.interval();
    assertThat(i.count()).isEqualTo(1000);
    assertThat(i.percentile(99)).isBetween(990_000L, (long) (990_000 * 1.125));
    assertThat(i.percentile(50)).isBetween(500_000L, (long) (500_000 * 1.125));
    assertThat(i.percentile(100)).isBetween(1_000_000L, (long) (1_000_000 * 1.125));
  }

  @Test
  void oneSlowRequestInAHundredIsNotThePercentileButOneInFiftyIs() {
    LatencyHistogram h = new LatencyHistogram();
    for (int i = 0; i < 99; i++) {
      h.record(1_000);
    }
    h.record(1_000_000_000);
    assertThat(h.interval().percentile(99)).isLessThan(2_000);
    for (int i = 0; i < 98; i++) {
      h.record(1_000);
    }
    h.record(1_000_000_000);
    h.record(1_000_000_000);
    assertThat(h.interval().percentile(99)).isGreaterThanOrEqualTo(1_000_000_000);
  }

  @Test
  void eachIntervalHoldsOnlyWhatWasRecordedSinceThePrevious() {
    LatencyHistogram h = new LatencyHistogram();
    h.record(5_000_000);
    assertThat(h.interval().count()).isEqualTo(1);
    LatencyHistogram.Interval empty = h.interval();
    assertThat(empty.count()).isZero();
    assertThat(empty.percentile(99)).isZero();
    h.record(-3); // a clock that went backwards counts as 0
    assertThat(h.interval().percentile(99)).isZero();
  }

  @Test
  void aPercentileOutsideZeroToHundredIsRefused() {
    LatencyHistogram.Interval i = new LatencyHistogram().interval();
    assertThatThrownBy(() -> i.percentile(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> i.percentile(100.5)).isInstanceOf(IllegalArgumentException.class);
  }
}
