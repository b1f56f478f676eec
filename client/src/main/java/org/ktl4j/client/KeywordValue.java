package org.ktl4j.client;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A keyword's value as read from Redis: both forms, when it was stored, its sequence number and who caused it.
 * Immutable (array binaries are copied on access).
 *
 * @param service   service name
 * @param keyword   keyword name
 * @param ascii     canonical ascii form
 * @param binary    binary form: {@code Boolean}, {@code Integer}, {@code Long}, {@code Float}, {@code Double},
 *                  {@code String}, or {@code int[]}/{@code long[]}/{@code float[]}/{@code double[]}
 * @param timestamp when it was stored
 * @param seq       sequence number (+1 per stored value)
 * @param origin    who caused it: a writer's client text, or {@code dispatcher}
 */
public record KeywordValue(String service, String keyword, String ascii, Object binary, Instant timestamp, long seq,
                           String origin) {
  public KeywordValue {
    Objects.requireNonNull(ascii, "ascii");
    Objects.requireNonNull(binary, "binary");
  }

  /** {@code service.KEYWORD}. */
  public String fullName() {
    return service + "." + keyword;
  }

  /** The binary value as a boolean (boolean keywords; non-zero numbers are true). */
  public boolean asBoolean() {
    if (binary instanceof Boolean b) {
      return b;
    }
    return asLong() != 0;
  }

  /** The binary value as an int (integer and enumerated keywords). */
  public int asInt() {
    return Math.toIntExact(asLong());
  }

  /** The binary value as a long (integer, int64, enumerated, mask, boolean 0/1). */
  public long asLong() {
    if (binary instanceof Number n) {
      return n.longValue();
    }
    if (binary instanceof Boolean b) {
      return b ? 1 : 0;
    }
    throw new IllegalStateException(fullName() + " is not numeric (" + binary.getClass().getSimpleName() + ")");
  }

  /** The binary value as a double (any numeric keyword). */
  public double asDouble() {
    if (binary instanceof Number n) {
      return n.doubleValue();
    }
    if (binary instanceof Boolean b) {
      return b ? 1 : 0;
    }
    throw new IllegalStateException(fullName() + " is not numeric (" + binary.getClass().getSimpleName() + ")");
  }

  /** The mask bits (mask keywords). */
  public long maskBits() {
    return asLong();
  }

  /** The binary value of a numeric array keyword, as doubles. */
  public double[] asDoubleArray() {
    if (binary instanceof double[] d) {
      return d.clone();
    }
    if (binary instanceof float[] f) {
      double[] d = new double[f.length];
      for (int i = 0; i < f.length; i++) {
        d[i] = f[i];
      }
      return d;
    }
    if (binary instanceof int[] a) {
      return Arrays.stream(a).asDoubleStream().toArray();
    }
    if (binary instanceof long[] a) {
      return Arrays.stream(a).asDoubleStream().toArray();
    }
    throw new IllegalStateException(fullName() + " is not an array (" + binary.getClass().getSimpleName() + ")");
  }

  /** The binary value of an integer array keyword. */
  public long[] asLongArray() {
    if (binary instanceof long[] a) {
      return a.clone();
    }
    if (binary instanceof int[] a) {
      return Arrays.stream(a).asLongStream().toArray();
    }
    throw new IllegalStateException(fullName() + " is not an integer array (" + binary.getClass().getSimpleName() + ")");
  }

  @Override
  public String toString() {
    return fullName() + " = " + ascii + " (seq " + seq + ", " + timestamp + ", by " + origin + ")";
  }
}
