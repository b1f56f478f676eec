package org.ktl4j.type;

import com.fasterxml.jackson.core.io.schubfach.DoubleToDecimal;
import com.fasterxml.jackson.core.io.schubfach.FloatToDecimal;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The default ascii form of floating-point values: the shortest decimal that reads back as the same
 * value (of those, the one closest to the exact binary value), laid out like Python's {@code repr(float)}
 * so that Python and Java tools show the same text.
 *
 * <ul>
 *   <li>positional when the decimal exponent is in [-4, 16): {@code 45.0}, {@code 0.001},
 *       {@code 12345678.0}, {@code 1000000000000000.0};
 *   <li>scientific otherwise, exponent signed with at least two digits: {@code 1e+16},
 *       {@code 1.5e-07}, {@code -2.5e+100}, {@code 5e-324};
 *   <li>{@code 0.0} and {@code -0.0} (the sign of zero is kept); {@code NaN}, {@code Infinity},
 *       {@code -Infinity}.
 * </ul>
 *
 * <p>The digits come from Schubfach (Giulietti), as shipped in jackson-core: the algorithm of JDK 19+
 * {@code Double.toString}, which JDK 17's is not (it gives too many digits for some values, JDK-4511638),
 * and the stored text must not depend on the JVM a dispatcher runs on. Schubfach gives two digits where
 * one would do ({@code 4.9E-324}); that happens only for subnormals with a handful of significant bits,
 * which are corrected here to the one-digit form, as Python, JavaScript and Ryu write them.
 *
 * <p>Stateless and thread-safe. Costs about a tenth of a microsecond: Schubfach's string, one scan of it
 * and the text built; a {@link BigDecimal} only on the subnormal correction.
 */
final class DecimalText {
  /** Schubfach's decimal has at most 17 significant digits, plus the leading zeros of {@code 0.00123}. */
  private static final int MAX_DIGITS = 24;

  private DecimalText() {}

  static String of(double value) {
    if (!Double.isFinite(value) || value == 0) {
      return Double.toString(value);
    }
    String text = layout(DoubleToDecimal.toString(value));
    // Only a subnormal can have a one-digit form that Schubfach writes with two: a normal double is within
    // 2^-53 of a one-digit decimal that reads back, so the closest two-digit decimal is that one.
    return Math.abs(value) < Double.MIN_NORMAL ? oneDigitIfShorter(text, value, false) : text;
  }

  static String of(float value) {
    if (!Float.isFinite(value) || value == 0) {
      return Float.toString(value);
    }
    String text = layout(FloatToDecimal.toString(value));
    return Math.abs(value) < Float.MIN_NORMAL ? oneDigitIfShorter(text, value, true) : text;
  }

  /**
   * For a subnormal whose text has two significant digits: the closest one-digit decimal that reads back
   * instead, if any. Schubfach (like JDK 19+) writes at least two digits and then picks the closest
   * two-digit decimal, which for a value with few significant bits may differ from every one-digit one.
   */
  private static String oneDigitIfShorter(String text, double value, boolean single) {
    if (new BigDecimal(text).stripTrailingZeros().precision() != 2) {
      return text;
    }
    BigDecimal exact = new BigDecimal(value);
    BigDecimal down = exact.round(new MathContext(1, RoundingMode.FLOOR));
    BigDecimal up = exact.round(new MathContext(1, RoundingMode.CEILING));
    boolean downReads = readsBack(down, value, single);
    boolean upReads = readsBack(up, value, single);
    BigDecimal chosen;
    if (downReads && upReads) {
      // Never a tie: the midpoint of two one-digit decimals this small is not a binary fraction.
      chosen = exact.subtract(down).compareTo(up.subtract(exact)) <= 0 ? down : up;
    } else if (downReads || upReads) {
      chosen = downReads ? down : up;
    } else {
      return text;
    }
    BigDecimal r = chosen.stripTrailingZeros();
    String digits = r.unscaledValue().abs().toString();
    return layout(value < 0, digits.toCharArray(), digits.length(), digits.length() - r.scale());
  }

  private static boolean readsBack(BigDecimal decimal, double value, boolean single) {
    return single ? decimal.floatValue() == (float) value : decimal.doubleValue() == value;
  }

  /**
   * Re-lays Java's {@code [-]digits.digits[E[-]n]} text (the form of {@code Double.toString}) in our
   * layout. Allocation: a small buffer and the result.
   */
  private static String layout(String java) {
    int n = java.length();
    boolean negative = java.charAt(0) == '-';
    char[] digits = new char[MAX_DIGITS];
    int count = 0;
    int leadingZeros = 0;
    int integerDigits = 0;
    boolean fraction = false;
    int i = negative ? 1 : 0;
    for (; i < n && java.charAt(i) != 'E'; i++) {
      char c = java.charAt(i);
      if (c == '.') {
        fraction = true;
        continue;
      }
      if (!fraction) {
        integerDigits++;
      }
      if (count == 0 && c == '0') {
        leadingZeros++;
      } else {
        digits[count++] = c;
      }
    }
    int exponent = i < n ? Integer.parseInt(java, i + 1, n, 10) : 0;
    while (count > 1 && digits[count - 1] == '0') {
      count--;
    }
    return layout(negative, digits, count, integerDigits - leadingZeros + exponent);
  }

  /**
   * The text of {@code 0.digits × 10^decimalPoint} ({@code count} digits): positional when the decimal
   * exponent ({@code decimalPoint - 1}) is in [-4, 16), as Python's {@code repr} does, scientific otherwise.
   */
  private static String layout(boolean negative, char[] digits, int count, int decimalPoint) {
    StringBuilder out = new StringBuilder(count + 8);
    if (negative) {
      out.append('-');
    }
    if (decimalPoint > -4 && decimalPoint <= 16) {
      positional(out, digits, count, decimalPoint);
    } else {
      scientific(out, digits, count, decimalPoint - 1);
    }
    return out.toString();
  }

  private static void positional(StringBuilder out, char[] digits, int n, int decimalPoint) {
    if (decimalPoint <= 0) {
      out.append("0.");
      for (int i = decimalPoint; i < 0; i++) {
        out.append('0');
      }
      out.append(digits, 0, n);
    } else if (decimalPoint >= n) {
      out.append(digits, 0, n);
      for (int i = n; i < decimalPoint; i++) {
        out.append('0');
      }
      out.append(".0");
    } else {
      out.append(digits, 0, decimalPoint).append('.').append(digits, decimalPoint, n - decimalPoint);
    }
  }

  private static void scientific(StringBuilder out, char[] digits, int n, int exponent) {
    out.append(digits[0]);
    if (n > 1) {
      out.append('.').append(digits, 1, n - 1);
    }
    out.append('e').append(exponent < 0 ? '-' : '+');
    int magnitude = Math.abs(exponent);
    if (magnitude < 10) {
      out.append('0');
    }
    out.append(magnitude);
  }
}
