package org.ktl4j.cli;

import java.util.Locale;
import org.ktl4j.type.KtlType;

/**
 * Turns the text of a {@code ktl modify --binary} value into the binary value the keyword's type takes
 * ({@code Keyword.writeBinary}): booleans from {@code 0}/{@code 1}/{@code true}/{@code false}; integers,
 * enumerated and mask values from a decimal or {@code 0x} hexadecimal number; floats from a number; arrays from
 * numbers separated by spaces or commas; strings unchanged. Text that is not a number for a numeric type is
 * passed on as text, so that the type refuses it with its own message (an enumerated keyword also takes its
 * label). Stateless.
 */
final class BinaryInput {
  private BinaryInput() {}

  /** The binary value of {@code text} for a keyword of type {@code type}. */
  static Object parse(KtlType type, String text) {
    String t = text.strip();
    return switch (type) {
      case STRING -> text;
      case BOOLEAN -> bool(t);
      case INTEGER, INT64, ENUMERATED, MASK -> number(t, true);
      case FLOAT, DOUBLE -> number(t, false);
      case INTEGER_ARRAY, INT64_ARRAY -> array(t, true);
      case FLOAT_ARRAY, DOUBLE_ARRAY -> array(t, false);
    };
  }

  private static Object bool(String t) {
    return switch (t.toLowerCase(Locale.ROOT)) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> number(t, true);
    };
  }

  /** A Long (integers) or Double; the text itself if it is not a number. */
  private static Object number(String t, boolean integral) {
    Long l = parseLong(t);
    if (l != null) {
      return l;
    }
    try {
      double d = Double.parseDouble(t);
      return integral ? (Object) new java.math.BigDecimal(t) : d;
    } catch (NumberFormatException e) {
      return t;
    }
  }

  private static Object array(String t, boolean integral) {
    String[] parts = t.isEmpty() ? new String[0] : t.split("[\\s,]+");
    if (integral) {
      long[] a = new long[parts.length];
      for (int i = 0; i < parts.length; i++) {
        Long l = parseLong(parts[i]);
        if (l == null) {
          return t; // let the type name the bad element
        }
        a[i] = l;
      }
      return a;
    }
    double[] a = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        a[i] = Double.parseDouble(parts[i]);
      } catch (NumberFormatException e) {
        return t;
      }
    }
    return a;
  }

  private static Long parseLong(String t) {
    try {
      String s = t.startsWith("+") ? t.substring(1) : t;
      if (s.startsWith("0x") || s.startsWith("0X")) {
        return Long.parseUnsignedLong(s.substring(2), 16);
      }
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
