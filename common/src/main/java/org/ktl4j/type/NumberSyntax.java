package org.ktl4j.type;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Strict, allocation-free recognition and parsing of the number syntaxes that keyword values accept.
 *
 * <p>Integers: {@code [+-]digits}, ASCII decimal digits only; leading zeros are decimal ({@code 010} is
 * ten, as Python's {@code int(float("010"))} reads it, not eight as C's {@code strtol(s, NULL, 0)} would).
 * Decimals: {@code [+-]} digits with an optional fraction and exponent ({@code 1}, {@code 1.}, {@code .5},
 * {@code -2.5e-3}), or, case-insensitive, {@code nan}, {@code [+-]inf}, {@code [+-]infinity}. A radix
 * prefix ({@code 0x}, {@code 0b}, {@code 0o}, any case) is never a number; {@link #radixReason} words
 * the refusal. Java's own parsers are looser ({@code "1d"}, hex floats, surrounding control characters,
 * digits of other scripts), and other languages read the same values, so the syntax is checked here
 * first. Every method scans at most once and stops at the first character that does not fit.
 */
final class NumberSyntax {
  enum Decimal { NUMBER, NAN, POSITIVE_INFINITY, NEGATIVE_INFINITY, INVALID }

  /** A refusal of a radix prefix suggests the decimal value only for digit strings up to this length. */
  private static final int MAX_SUGGESTED_DIGITS = 64;

  private NumberSyntax() {}

  /** Whether {@code t} (stripped, non-empty) is a decimal integer: {@code [+-]?[0-9]+}. */
  static boolean isInteger(String t) {
    int i = signLength(t);
    if (i == t.length()) {
      return false;
    }
    for (; i < t.length(); i++) {
      if (!isDigit(t.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses a text for which {@link #isInteger} holds.
   *
   * @throws ArithmeticException if the value does not fit a long (the caller words the refusal)
   */
  static long parseInteger(String t) {
    boolean negative = t.charAt(0) == '-';
    // Accumulates negatively, so that Long.MIN_VALUE, whose magnitude is no long, parses too.
    long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
    long multiplyMin = limit / 10;
    long result = 0;
    for (int i = signLength(t); i < t.length(); i++) {
      int digit = t.charAt(i) - '0';
      if (result < multiplyMin) {
        throw new ArithmeticException();
      }
      result *= 10;
      if (result < limit + digit) {
        throw new ArithmeticException();
      }
      result -= digit;
    }
    return negative ? result : -result;
  }

  /**
   * Parses a text for which {@link #isInteger} holds as a 64-bit pattern: signed down to -2<sup>63</sup>,
   * unsigned up to 2<sup>64</sup>-1 ({@code 18446744073709551615} is all bits set, like {@code -1}).
   *
   * @throws ArithmeticException if the value does not fit 64 bits
   */
  static long parseBits(String t) {
    if (t.charAt(0) == '-') {
      return parseInteger(t);
    }
    try {
      // isInteger has checked the digits are ASCII: parseUnsignedLong alone would take other scripts' digits.
      return Long.parseUnsignedLong(t, signLength(t), t.length(), 10);
    } catch (NumberFormatException e) {
      throw new ArithmeticException();
    }
  }

  /**
   * The reason to refuse {@code t} (stripped) if it starts, after an optional sign, with a radix prefix
   * {@code 0x}, {@code 0o} or {@code 0b} (any case), naming the decimal to write instead when the rest is
   * an integer in that radix ({@code "hexadecimal is not accepted: write 16"}); {@code null} otherwise.
   * Allocates; only called on the way to a refusal.
   */
  static String radixReason(String t) {
    int i = signLength(t);
    if (t.length() < i + 2 || t.charAt(i) != '0') {
      return null;
    }
    int radix;
    String name;
    switch (t.charAt(i + 1)) {
      case 'x', 'X' -> {
        radix = 16;
        name = "hexadecimal";
      }
      case 'o', 'O' -> {
        radix = 8;
        name = "octal";
      }
      case 'b', 'B' -> {
        radix = 2;
        name = "binary";
      }
      default -> {
        return null;
      }
    }
    int start = i + 2;
    boolean integral = start < t.length() && t.length() - start <= MAX_SUGGESTED_DIGITS;
    for (int j = start; integral && j < t.length(); j++) {
      integral = asciiDigit(t.charAt(j), radix) >= 0;
    }
    if (!integral) {
      return name + " is not accepted (decimal only)";
    }
    BigInteger value = new BigInteger(t.substring(start), radix);
    return name + " is not accepted: write " + (t.charAt(0) == '-' ? value.negate() : value);
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

  /**
   * Whether the mantissa of a {@link Decimal#NUMBER} text has a non-zero digit: a parse that gives 0 from
   * such a text underflowed.
   */
  static boolean hasNonZeroMantissa(String t) {
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c == 'e' || c == 'E') {
        return false;
      }
      if (c >= '1' && c <= '9') {
        return true;
      }
    }
    return false;
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

  /** The value of an ASCII digit in {@code radix} 2, 8 or 16, or -1 (unlike {@link Character#digit}, no other scripts). */
  private static int asciiDigit(char c, int radix) {
    if (c >= '0' && c <= '9') {
      return c - '0' < radix ? c - '0' : -1;
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

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
