package org.ktl4j.type;

import java.util.Arrays;

/**
 * Reads a binary keyword value ({@code Boolean}, {@code Integer}, {@code Long}, {@code Float}, {@code Double},
 * {@code String} or a primitive array, as {@link KeywordType#toBinary} produces) as the Java type a caller
 * wants. Stateless and thread-safe; the array conversions copy.
 */
public final class BinaryValue {
  private BinaryValue() {}

  /** As a long: integers, enumerated indexes, mask bits, boolean 0/1. */
  public static long asLong(Object binary, String name) {
    if (binary instanceof Number n) {
      return n.longValue();
    }
    if (binary instanceof Boolean b) {
      return b ? 1 : 0;
    }
    throw notA("an integer", binary, name);
  }

  /** As a double: any numeric value, boolean 0/1. */
  public static double asDouble(Object binary, String name) {
    if (binary instanceof Number n) {
      return n.doubleValue();
    }
    if (binary instanceof Boolean b) {
      return b ? 1 : 0;
    }
    throw notA("numeric", binary, name);
  }

  /** As a boolean: booleans, and numbers (non-zero is true). */
  public static boolean asBoolean(Object binary, String name) {
    if (binary instanceof Boolean b) {
      return b;
    }
    return asLong(binary, name) != 0;
  }

  /** A numeric array as doubles (a copy). */
  public static double[] asDoubleArray(Object binary, String name) {
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
    throw notA("an array", binary, name);
  }

  /** An integer array as longs (a copy). */
  public static long[] asLongArray(Object binary, String name) {
    if (binary instanceof long[] a) {
      return a.clone();
    }
    if (binary instanceof int[] a) {
      return Arrays.stream(a).asLongStream().toArray();
    }
    throw notA("an integer array", binary, name);
  }

  private static IllegalStateException notA(String what, Object binary, String name) {
    return new IllegalStateException(name + " is not " + what + " (" + binary.getClass().getSimpleName() + ")");
  }
}
