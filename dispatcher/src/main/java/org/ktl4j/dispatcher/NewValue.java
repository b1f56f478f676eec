package org.ktl4j.dispatcher;

import java.util.Optional;
import org.ktl4j.type.BinaryValue;

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
    return BinaryValue.asDouble(binary, keyword);
  }

  /** The binary value as an int (integer, enumerated, boolean 0/1). */
  public int asInt() {
    return Math.toIntExact(asLong());
  }

  /** The binary value as a long (integer, int64, enumerated, mask). */
  public long asLong() {
    return BinaryValue.asLong(binary, keyword);
  }

  /** The binary value as a boolean (boolean; numeric non-zero). */
  public boolean asBoolean() {
    return BinaryValue.asBoolean(binary, keyword);
  }

  /** The binary value as a double array (numeric arrays; a copy). */
  public double[] asDoubleArray() {
    return BinaryValue.asDoubleArray(binary, keyword);
  }
}
