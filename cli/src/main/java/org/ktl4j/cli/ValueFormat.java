package org.ktl4j.cli;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.ktl4j.client.KeywordValue;
import org.ktl4j.internal.protocol.StoredValue;

/**
 * How the client commands print values and times. Timestamps are ISO-8601 in UTC with microseconds
 * ({@code 2026-11-22T01:23:45.123456Z}): the precision the protocol stores, the same on every host, and sortable
 * as text. Binary forms: booleans {@code true}/{@code false}, enumerated and mask values as their number, floats
 * as Java's shortest round-trip text, arrays as numbers separated by one space. Stateless.
 */
final class ValueFormat {
  private static final DateTimeFormatter UTC_MICROS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private ValueFormat() {}

  /** {@code 2026-11-22T01:23:45.123456Z}. */
  static String timestamp(Instant t) {
    return UTC_MICROS.format(t);
  }

  /**
   * A protocol {@code ts} text ({@code 1732236366.123456}) to the second, {@code 2024-11-22T00:46:06Z}, for start
   * times; unparseable text as is.
   */
  static String timestampSeconds(String protocolTs) {
    try {
      return DateTimeFormatter.ISO_INSTANT.format(StoredValue.parseTimestamp(protocolTs).truncatedTo(ChronoUnit.SECONDS));
    } catch (RuntimeException e) {
      return protocolTs;
    }
  }

  /** The value's ascii form, or its binary form printed as described above. */
  static String value(KeywordValue v, boolean binary) {
    return binary ? binary(v.binary()) : v.ascii();
  }

  /** {@code value units}, or just the value when the keyword has no units. */
  static String withUnits(String value, String units) {
    return units.isEmpty() ? value : value + " " + units;
  }

  /** A binary value as text. */
  static String binary(Object b) {
    if (b instanceof int[] a) {
      return IntStream.of(a).mapToObj(Integer::toString).collect(Collectors.joining(" "));
    }
    if (b instanceof long[] a) {
      return LongStream.of(a).mapToObj(Long::toString).collect(Collectors.joining(" "));
    }
    if (b instanceof double[] a) {
      return DoubleStream.of(a).mapToObj(Double::toString).collect(Collectors.joining(" "));
    }
    if (b instanceof float[] a) {
      String[] s = new String[a.length];
      for (int i = 0; i < a.length; i++) {
        s[i] = Float.toString(a[i]);
      }
      return String.join(" ", Arrays.asList(s));
    }
    return String.valueOf(b);
  }
}
