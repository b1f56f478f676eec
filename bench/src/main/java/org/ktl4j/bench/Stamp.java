package org.ktl4j.bench;

import java.time.Instant;

/** Timestamps in the protocol's {@code ts} form (epoch seconds with microseconds), for the floors. Stateless. */
final class Stamp {
  private Stamp() {}

  static String now() {
    Instant t = Instant.now();
    long micros = t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    return micros / 1_000_000L + "." + String.format("%06d", micros % 1_000_000L);
  }

  /** Microseconds since the epoch of a {@code ts} text. */
  static long micros(String ts) {
    int dot = ts.indexOf('.');
    if (dot < 0) {
      return Long.parseLong(ts) * 1_000_000L;
    }
    String frac = (ts.substring(dot + 1) + "000000").substring(0, 6);
    return Long.parseLong(ts.substring(0, dot)) * 1_000_000L + Long.parseLong(frac);
  }

  static long nowMicros() {
    Instant t = Instant.now();
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }

  static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }
}
