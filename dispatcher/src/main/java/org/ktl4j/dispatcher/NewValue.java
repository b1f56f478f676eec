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
 * @param client   who is writing, when the value comes from a MODIFY request
 * @param deadline when the writer stops waiting, if it said (server clock): a {@code write} hook that drives
 *                 slow hardware may refuse work it cannot finish by then (the dispatcher checks it just before
 *                 the hook runs; a hook that runs past it still has its value stored)
 */
public record NewValue(String keyword, String ascii, Object binary, Optional<String> client,
                       Optional<java.time.Instant> deadline) {
  /** A value without a deadline. */
  public NewValue(String keyword, String ascii, Object binary, Optional<String> client) {
    this(keyword, ascii, binary, client, Optional.empty());
  }

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
