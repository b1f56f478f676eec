package org.ktl4j.dispatcher;

import java.util.Optional;

/**
 * A value on its way into a keyword: what a {@code check} or {@code write} hook receives. The value has
 * already been validated against the keyword's type, range and enumerators.
 *
 * @param keyword keyword name (uppercase)
 * @param ascii   canonical ascii form, as it will be stored
 * @param binary  binary form ({@code Boolean}, {@code Integer}, {@code Long}, {@code Float}, {@code Double},
 *                {@code String}, or a primitive array), see {@code KeywordType#toBinary}
 * @param client  who is writing, when the value comes from a MODIFY request
 */
public record NewValue(String keyword, String ascii, Object binary, Optional<String> client) {
  /** The binary value as a double (numeric types, enumerated index, mask bits, boolean 0/1). */
  public double asDouble() {
    if (binary instanceof Number n) {
      return n.doubleValue();
    }
    if (binary instanceof Boolean b) {
      return b ? 1 : 0;
    }
    throw new IllegalStateException(keyword + " is not numeric: " + binary.getClass().getSimpleName());
  }

  /** The binary value as an int (integer, enumerated, boolean 0/1). */
  public int asInt() {
    return (int) asLong();
  }

  /** The binary value as a long (integer, int64, enumerated, mask). */
  public long asLong() {
    if (binary instanceof Number n) {
      return n.longValue();
    }
    if (binary instanceof Boolean b) {
      return b ? 1 : 0;
    }
    throw new IllegalStateException(keyword + " is not an integer: " + binary.getClass().getSimpleName());
  }

  /** The binary value as a boolean (boolean; numeric non-zero). */
  public boolean asBoolean() {
    if (binary instanceof Boolean b) {
      return b;
    }
    return asLong() != 0;
  }

  /** The binary value as a double array (numeric arrays). */
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
      return java.util.Arrays.stream(a).asDoubleStream().toArray();
    }
    if (binary instanceof long[] a) {
      return java.util.Arrays.stream(a).asDoubleStream().toArray();
    }
    throw new IllegalStateException(keyword + " is not an array: " + binary.getClass().getSimpleName());
  }
}
