package org.ktl4j.internal.protocol;

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

  /** Formats microseconds since the epoch as the protocol's {@code ts}. */
  public static String formatMicros(long micros) {
    return Math.floorDiv(micros, 1_000_000L) + "." + Long.toString(1_000_000 + Math.floorMod(micros, 1_000_000L))
        .substring(1);
  }

  /**
   * Parses a {@code ts} strictly, for fields that arrive from other processes: 1 to 12 digits of seconds,
   * optionally a dot and 1 to 6 digits of fraction, nothing else.
   *
   * @return microseconds since the epoch, or -1 if {@code ts} is not of that form
   */
  public static long parseMicrosStrict(String ts) {
    if (ts == null) {
      return -1;
    }
    int n = ts.length();
    int dot = ts.indexOf('.');
    int intLen = dot < 0 ? n : dot;
    int fracLen = dot < 0 ? 0 : n - dot - 1;
    if (intLen < 1 || intLen > 12 || (dot >= 0 && (fracLen < 1 || fracLen > 6))) {
      return -1;
    }
    long secs = 0;
    for (int i = 0; i < intLen; i++) {
      char c = ts.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      secs = secs * 10 + (c - '0');
    }
    long frac = 0;
    for (int i = 0; i < 6; i++) {
      int at = dot + 1 + i;
      char c = dot >= 0 && i < fracLen ? ts.charAt(at) : '0';
      if (c < '0' || c > '9') {
        return -1;
      }
      frac = frac * 10 + (c - '0');
    }
    return secs * 1_000_000L + frac;
  }

  /** The current time as a protocol {@code ts}. */
  public static String now() {
    return formatTimestamp(Instant.now());
  }
}
