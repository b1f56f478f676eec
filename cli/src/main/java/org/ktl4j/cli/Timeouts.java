package org.ktl4j.cli;

import java.time.Duration;

/** Checks the {@code SECONDS} of a timeout option and turns it into a {@link Duration}. Stateless. */
final class Timeouts {
  /** The longest timeout accepted: a day. */
  static final double MAX_SECONDS = 86_400;

  private Timeouts() {}

  /** A timeout that must be more than zero. */
  static Duration positive(String option, double seconds) {
    if (!(seconds > 0) || seconds > MAX_SECONDS) {
      throw new IllegalArgumentException(option + " must be more than 0 and at most " + (long) MAX_SECONDS
          + " seconds, got " + seconds);
    }
    return of(seconds);
  }

  /** A timeout that may be zero. */
  static Duration nonNegative(String option, double seconds) {
    if (!(seconds >= 0) || seconds > MAX_SECONDS) {
      throw new IllegalArgumentException(option + " must be between 0 and " + (long) MAX_SECONDS
          + " seconds, got " + seconds);
    }
    return of(seconds);
  }

  /** {@code 0.5} → 500 ms; at least 1 ms for any positive value. */
  static Duration of(double seconds) {
    long micros = Math.round(seconds * 1_000_000);
    return seconds > 0 ? Duration.ofNanos(Math.max(1_000_000, micros * 1000)) : Duration.ZERO;
  }

  /** {@code 60 s}, {@code 0.5 s}: a duration as the user typed it. */
  static String text(Duration d) {
    double s = d.toNanos() / 1e9;
    return (s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s)) + " s";
  }
}
