package org.ktl4j.client;

import java.time.Instant;
import java.util.Objects;
import org.ktl4j.type.BinaryValue;

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
  public String toString() {
    return fullName() + " = " + ascii + " (seq " + seq + ", " + timestamp + ", by " + origin + ")";
  }
}
