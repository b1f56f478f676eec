package org.ktl4j.type;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Strict, allocation-free recognition and parsing of the number syntaxes that keyword values accept.
 *
 * <p>Integers: {@code [+-]digits} or {@code [+-]0x hexdigits}. Decimals: {@code [+-]} digits with an
 * optional fraction and exponent ({@code 1}, {@code 1.}, {@code .5}, {@code -2.5e-3}), or, case-insensitive,
 * {@code nan}, {@code [+-]inf}, {@code [+-]infinity}. Java's own parsers are looser ({@code "1d"},
 * hex floats, surrounding control characters), and other languages read the same values, so the syntax
 * is checked here first. Every method scans at most once and stops at the first character that does not fit.
 */
final class NumberSyntax {
  enum Decimal { NUMBER, NAN, POSITIVE_INFINITY, NEGATIVE_INFINITY, INVALID }

  private NumberSyntax() {}

  /** Whether {@code t} (stripped, non-empty) is a decimal or {@code 0x} hexadecimal integer. */
  static boolean isInteger(String t) {
    int i = signLength(t);
    int radix = 10;
    if (isHexPrefix(t, i)) {
      i += 2;
      radix = 16;
    }
    if (i == t.length()) {
      return false;
    }
    for (; i < t.length(); i++) {
      if (asciiDigit(t.charAt(i), radix) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses a text for which {@link #isInteger} holds.
   *
   * @param unsignedHex whether an unsigned {@code 0x} value may use all 64 bits ({@code 0xffffffffffffffff} = -1)
   * @throws ArithmeticException if the value does not fit a long (the caller words the refusal)
   */
  static long parseInteger(String t, boolean unsignedHex) {
    boolean negative = t.charAt(0) == '-';
    int i = signLength(t);
    int radix = 10;
    if (isHexPrefix(t, i)) {
      i += 2;
      radix = 16;
      if (unsignedHex && i == 2) {
        return parseUnsignedHex(t, i);
      }
    }
    long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
    long multiplyMin = limit / radix;
    long result = 0;
    for (; i < t.length(); i++) {
      int digit = asciiDigit(t.charAt(i), radix);
      if (result < multiplyMin) {
        throw new ArithmeticException();
      }
      result *= radix;
      if (result < limit + digit) {
        throw new ArithmeticException();
      }
      result -= digit;
    }
    return negative ? result : -result;
  }

  private static long parseUnsignedHex(String t, int start) {
    int first = start;
    while (first < t.length() - 1 && t.charAt(first) == '0') {
      first++;
    }
    if (t.length() - first > 16) {
      throw new ArithmeticException();
    }
    long result = 0;
    for (int i = first; i < t.length(); i++) {
      result = (result << 4) | asciiDigit(t.charAt(i), 16);
    }
    return result;
  }

  /**
   * The exact integral value of a binary number, or {@code null} if it has a fraction, is not finite or
   * does not fit a long. Boxes only for values outside the small-value cache; refusals are rare.
   */
  static Long exactLong(Number n) {
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
        || n instanceof AtomicInteger || n instanceof AtomicLong) {
      return n.longValue();
    }
    if (n instanceof BigInteger b) {
      return b.bitLength() < 64 ? b.longValue() : null;
    }
    if (n instanceof BigDecimal b) {
      try {
        return b.longValueExact();
      } catch (ArithmeticException e) {
        return null;
      }
    }
    double d = n.doubleValue();
    // 2^63 is exactly representable; every double below it in magnitude and integral fits a long.
    if (d == Math.rint(d) && d >= -0x1p63 && d < 0x1p63) {
      return (long) d;
    }
    return null;
  }

  /** Classifies {@code t} (stripped, non-empty) as a decimal number, a non-finite word, or neither. */
  static Decimal classifyDecimal(String t) {
    int n = t.length();
    int i = signLength(t);
    int mantissaDigits = 0;
    while (i < n && isDigit(t.charAt(i))) {
      i++;
      mantissaDigits++;
    }
    if (i < n && t.charAt(i) == '.') {
      i++;
      while (i < n && isDigit(t.charAt(i))) {
        i++;
        mantissaDigits++;
      }
    }
    if (mantissaDigits == 0) {
      return classifyWord(t, signLength(t));
    }
    if (i < n && (t.charAt(i) == 'e' || t.charAt(i) == 'E')) {
      i++;
      if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
        i++;
      }
      int exponentDigits = 0;
      while (i < n && isDigit(t.charAt(i))) {
        i++;
        exponentDigits++;
      }
      if (exponentDigits == 0) {
        return Decimal.INVALID;
      }
    }
    return i == n ? Decimal.NUMBER : Decimal.INVALID;
  }

  /** Whether the text has a fraction part (rather than only an exponent). Only meaningful for {@link Decimal#NUMBER}. */
  static boolean hasFraction(String t) {
    return t.indexOf('.') >= 0;
  }

  private static Decimal classifyWord(String t, int start) {
    if (isWord(t, start, "nan")) {
      return start == 0 ? Decimal.NAN : Decimal.INVALID;
    }
    if (isWord(t, start, "inf") || isWord(t, start, "infinity")) {
      return t.charAt(0) == '-' ? Decimal.NEGATIVE_INFINITY : Decimal.POSITIVE_INFINITY;
    }
    return Decimal.INVALID;
  }

  private static boolean isWord(String t, int start, String word) {
    return t.length() - start == word.length() && t.regionMatches(true, start, word, 0, word.length());
  }

  /** The value of an ASCII digit in {@code radix} 10 or 16, or -1 (unlike {@link Character#digit}, no other scripts). */
  private static int asciiDigit(char c, int radix) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (radix == 16) {
      if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
      }
      if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
      }
    }
    return -1;
  }

  private static int signLength(String t) {
    return !t.isEmpty() && (t.charAt(0) == '+' || t.charAt(0) == '-') ? 1 : 0;
  }

  private static boolean isHexPrefix(String t, int i) {
    return t.length() > i + 1 && t.charAt(i) == '0' && (t.charAt(i + 1) == 'x' || t.charAt(i + 1) == 'X');
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
