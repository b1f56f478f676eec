package org.ktl4j.cli;

import java.util.Locale;
import org.ktl4j.type.KtlType;

/**
 * Turns the text of a {@code ktl modify --binary} value into the binary value the keyword's type takes
 * ({@code Keyword.writeBinary}): booleans from {@code 0}/{@code 1}/{@code true}/{@code false}; enumerated and mask
 * values from a decimal number (a mask also from an unsigned one up to 2^64-1). For integer, floating and array
 * keywords the binary text of a number is its ascii text, so {@link #parse} returns null and the value is written
 * as ascii, under exactly the rules of protocol section 7 (decimal only, no underflow). Text that is not a decimal
 * number for an enumerated, mask or boolean keyword is passed on as text, so that the type refuses it with its own
 * message (an enumerated keyword also takes its label). Stateless.
 */
final class BinaryInput {
  private BinaryInput() {}

  /** The binary value of {@code text} for a keyword of type {@code type}, or null to write {@code text} as ascii. */
  static Object parse(KtlType type, String text) {
    String t = text.strip();
    return switch (type) {
      case STRING -> text;
      case BOOLEAN -> bool(t);
      case ENUMERATED, MASK -> number(t, type == KtlType.MASK);
      case INTEGER, INT64, FLOAT, DOUBLE, INTEGER_ARRAY, INT64_ARRAY, FLOAT_ARRAY, DOUBLE_ARRAY -> null;
    };
  }

  private static Object bool(String t) {
    return switch (t.toLowerCase(Locale.ROOT)) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> number(t, false);
    };
  }

  /** A Long from a decimal integer (a mask also takes 2^63..2^64-1); the text itself if it is not one. */
  private static Object number(String t, boolean unsigned) {
    boolean plus = t.startsWith("+");
    String s = plus ? t.substring(1) : t;
    int start = !plus && s.startsWith("-") ? 1 : 0; // no sign after a '+'
    if (s.length() == start) {
      return t;
    }
    for (int i = start; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return t; // hexadecimal, fractions, other scripts' digits and the rest: the type says why
      }
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      if (unsigned && s.charAt(0) != '-') {
        try {
          return Long.parseUnsignedLong(s);
        } catch (NumberFormatException tooBig) {
          return t;
        }
      }
      return t;
    }
  }
}
