package org.ktl4j.protocol;

import java.time.Instant;

/**
 * A keyword's current value as stored in {@code ktl:{svc}:kw:<KW>}.
 *
 * @param ascii     the canonical ascii value
 * @param timestamp when it was stored ({@code ts}, epoch seconds with microseconds)
 * @param seq       the sequence number: +1 for every stored value, never reset
 * @param origin    who caused it: the writer's client text, or {@code dispatcher}
 */
public record StoredValue(String ascii, Instant timestamp, long seq, String origin) {
  /** Formats an instant as the protocol's {@code ts}: epoch seconds, a dot, six digits of microseconds. */
  public static String formatTimestamp(Instant t) {
    long micros = t.getNano() / 1000;
    String frac = Long.toString(1_000_000 + micros).substring(1);
    return t.getEpochSecond() + "." + frac;
  }

  /** Parses a protocol {@code ts}; lenient about the number of fraction digits. */
  public static Instant parseTimestamp(String ts) {
    if (ts == null || ts.isEmpty()) {
      return Instant.EPOCH;
    }
    int dot = ts.indexOf('.');
    if (dot < 0) {
      return Instant.ofEpochSecond(Long.parseLong(ts));
    }
    long secs = Long.parseLong(ts.substring(0, dot));
    String frac = (ts.substring(dot + 1) + "000000000").substring(0, 9);
    return Instant.ofEpochSecond(secs, Long.parseLong(frac));
  }

  /** The current time as a protocol {@code ts}. */
  public static String now() {
    return formatTimestamp(Instant.now());
  }
}
