package org.ktl4j.client;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.ktl4j.type.BinaryValue;

/**
 * A keyword's value as read from Redis: both forms, when it was stored, its sequence number and who caused it.
 *
 * <p>Immutable and thread-safe, so one instance may be handed to many listeners: an array binary
 * ({@code int[]}, {@code long[]}, {@code float[]}, {@code double[]}) is copied when the value is built and again
 * on every {@link #binary()} call, so a listener that changes the array it got changes only its own copy. Cost:
 * one array copy per {@code binary()} call on an array keyword, nothing for the other types. {@code equals}
 * compares arrays by content.
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
    binary = copyIfArray(binary);
  }

  /**
   * The binary form: {@code Boolean}, {@code Integer}, {@code Long}, {@code Float}, {@code Double},
   * {@code String}, or a primitive array, which is a fresh copy on every call.
   */
  @Override
  public Object binary() {
    return copyIfArray(binary);
  }

  /** The binary form without a copy, for code of this package that only reads it (never hand it out). */
  Object binaryShared() {
    return binary;
  }

  /** {@code service.KEYWORD}. */
  public String fullName() {
    return service + "." + keyword;
  }

  /** The binary value as a boolean (boolean keywords; non-zero numbers are true). */
  public boolean asBoolean() {
    return BinaryValue.asBoolean(binary, fullName());
  }

  /** The binary value as an int (integer and enumerated keywords). */
  public int asInt() {
    return Math.toIntExact(asLong());
  }

  /** The binary value as a long (integer, int64, enumerated, mask, boolean 0/1). */
  public long asLong() {
    return BinaryValue.asLong(binary, fullName());
  }

  /** The binary value as a double (any numeric keyword). */
  public double asDouble() {
    return BinaryValue.asDouble(binary, fullName());
  }

  /** The mask bits (mask keywords). */
  public long maskBits() {
    return asLong();
  }

  /** The binary value of a numeric array keyword, as doubles (a copy). */
  public double[] asDoubleArray() {
    return BinaryValue.asDoubleArray(binary, fullName());
  }

  /** The binary value of an integer array keyword (a copy). */
  public long[] asLongArray() {
    return BinaryValue.asLongArray(binary, fullName());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeywordValue v && seq == v.seq && service.equals(v.service) && keyword.equals(v.keyword)
        && ascii.equals(v.ascii) && Objects.deepEquals(binary, v.binary) && Objects.equals(timestamp, v.timestamp)
        && Objects.equals(origin, v.origin);
  }

  @Override
  public int hashCode() {
    return Objects.hash(service, keyword, ascii, seq, timestamp, origin) * 31 + Arrays.deepHashCode(new Object[] {binary});
  }

  private static Object copyIfArray(Object binary) {
    if (binary instanceof double[] a) {
      return a.clone();
    }
    if (binary instanceof long[] a) {
      return a.clone();
    }
    if (binary instanceof int[] a) {
      return a.clone();
    }
    if (binary instanceof float[] a) {
      return a.clone();
    }
    return binary;
  }

  @Override
  public String toString() {
    return fullName() + " = " + ascii + " (seq " + seq + ", " + timestamp + ", by " + origin + ")";
  }
}
