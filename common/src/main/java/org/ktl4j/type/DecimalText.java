package org.ktl4j.type;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.function.Predicate;

/**
 * The default ascii form of floating-point values: the shortest decimal that reads back as the same
 * value (the closest one if several are as short), laid out like Python's {@code repr(float)} so that
 * Python and Java tools show the same text.
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
 * <p>The digits are computed from the exact binary value, not taken from {@link Double#toString}:
 * before JDK 19 that is not always shortest ({@code 4.9E-324}, JDK-4511638), and the stored text must
 * not depend on the JVM a dispatcher runs on. {@code Double.toString} only bounds the search.
 *
 * <p>Stateless. Costs about half a microsecond: a {@link BigDecimal} of the exact value and one or two
 * roundings.
 */
final class DecimalText {
  private DecimalText() {}

  static String of(double value) {
    if (!Double.isFinite(value) || value == 0) {
      return Double.toString(value);
    }
    BigDecimal exact = new BigDecimal(value);
    int bound = significantDigits(Double.toString(value));
    return layout(value < 0, shortest(exact, bound, r -> r.doubleValue() == value));
  }

  static String of(float value) {
    if (!Float.isFinite(value) || value == 0) {
      return Float.toString(value);
    }
    BigDecimal exact = new BigDecimal(value);
    int bound = significantDigits(Float.toString(value));
    return layout(value < 0, shortest(exact, bound, r -> r.floatValue() == value));
  }

  /**
   * The exact value rounded to the fewest significant digits that still read back as the value.
   * {@code bound} digits are known to suffice; fewer digits reading back implies more do too, so the
   * search stops at the first failure.
   */
  private static BigDecimal shortest(BigDecimal exact, int bound, Predicate<BigDecimal> readsBack) {
    BigDecimal best = exact.round(new MathContext(bound, RoundingMode.HALF_EVEN));
    for (int digits = bound - 1; digits >= 1; digits--) {
      BigDecimal shorter = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
      if (!readsBack.test(shorter)) {
        break;
      }
      best = shorter;
    }
    return best;
  }

  /** Significant digits of Java's {@code [-]digits.digits[E[-]n]} text: from the first to the last non-zero digit. */
  private static int significantDigits(String java) {
    int end = java.indexOf('E');
    if (end < 0) {
      end = java.length();
    }
    int digits = 0;
    int significant = 1;
    for (int i = 0; i < end; i++) {
      char c = java.charAt(i);
      if (c >= '1' && c <= '9' || c == '0' && digits > 0) {
        digits++;
        if (c != '0') {
          significant = digits;
        }
      }
    }
    return significant;
  }

  private static String layout(boolean negative, BigDecimal rounded) {
    BigDecimal r = rounded.stripTrailingZeros();
    String digits = r.unscaledValue().abs().toString();
    int decimalPoint = digits.length() - r.scale();
    StringBuilder out = new StringBuilder(digits.length() + 8);
    if (negative) {
      out.append('-');
    }
    if (decimalPoint > -4 && decimalPoint <= 16) {
      positional(out, digits, decimalPoint);
    } else {
      scientific(out, digits, decimalPoint - 1);
    }
    return out.toString();
  }

  private static void positional(StringBuilder out, CharSequence digits, int decimalPoint) {
    int n = digits.length();
    if (decimalPoint <= 0) {
      out.append("0.").append("0".repeat(-decimalPoint)).append(digits);
    } else if (decimalPoint >= n) {
      out.append(digits).append("0".repeat(decimalPoint - n)).append(".0");
    } else {
      out.append(digits, 0, decimalPoint).append('.').append(digits, decimalPoint, n);
    }
  }

  private static void scientific(StringBuilder out, CharSequence digits, int exponent) {
    out.append(digits.charAt(0));
    if (digits.length() > 1) {
      out.append('.').append(digits, 1, digits.length());
    }
    out.append('e').append(exponent < 0 ? '-' : '+');
    int magnitude = Math.abs(exponent);
    if (magnitude < 10) {
      out.append('0');
    }
    out.append(magnitude);
  }
}
