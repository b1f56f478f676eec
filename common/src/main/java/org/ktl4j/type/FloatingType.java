package org.ktl4j.type;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.IllegalFormatException;
import java.util.Locale;
import java.util.Optional;
import org.ktl4j.definition.KeywordDefinition;

/**
 * {@code float} (binary {@link Float}) and {@code double} (binary {@link Double}).
 *
 * <p>Writes accept a decimal number, {@code [+-]?([0-9]+(.[0-9]*)?|.[0-9]+)([eE][+-]?[0-9]+)?}
 * ({@code 45}, {@code -0.5}, {@code .5}, {@code 5.}, {@code 1.5e-3}, {@code 007}), with surrounding
 * whitespace; a float keyword rounds the decimal once, directly to the nearest float. The canonical form
 * is the definition's printf {@code format} applied with {@link Locale#ROOT} (e.g. {@code %.3f} →
 * {@code 45.000}), or without a format the shortest text that reads back as the same value (for a float
 * keyword, as the same float), laid out like Python's {@code repr}: {@code 45.0}, {@code 0.001},
 * {@code 1e+16}, {@code 1.5e-07} (positional for decimal exponents -4 to 15); {@code docs/protocol.md}
 * §7.3 has the rules. Negative zero is kept: {@code -0}, {@code -0.0} store {@code -0.0}, binary -0.0,
 * which compares equal to 0 against the minimum and maximum. Note that Java's formatter rounds half-up from
 * the shortest decimal form ({@code %.1f} of 1.25 is {@code 1.3}, of 0.15 is {@code 0.2}) where C's
 * printf rounds the exact binary value ({@code 1.2}, {@code 0.1}); the dispatcher's text is the stored one.
 *
 * <p>Refusals ({@code BAD_VALUE} unless noted):
 * <ul>
 *   <li>NaN and ±infinity ({@code nan}, {@code inf}, {@code infinity}, any case; only infinities take a
 *       sign) unless the definition allows non-finite values; then they are stored as {@code NaN},
 *       {@code Infinity}, {@code -Infinity};
 *   <li>finite text too large for the type ({@code 1e309}; for float anything that rounds beyond
 *       ±3.4028235e38), even when non-finite values are allowed: never stored as an infinity;
 *   <li>a non-zero value that rounds to zero ({@code 1e-400}; for float {@code 1e-50}): "underflows to 0";
 *       subnormals are accepted ({@code 5e-324}, float {@code 1e-45});
 *   <li>hexadecimal, octal and binary ({@code 0x10}, {@code 0x1p3}) and anything else outside the syntax;
 *   <li>{@code OUT_OF_RANGE}: outside the inclusive minimum/maximum, compared in the type's own
 *       precision (so {@code 0.1} fits a float keyword whose maximum is 0.1) on the parsed value, before
 *       formatting. NaN is never out of range.
 * </ul>
 *
 * <p>{@code toBinary} returns the value the canonical text denotes (with a format, the rounded value).
 * Binary writes accept any {@link Number}; a double written to a float keyword is rounded to the
 * nearest float, with the same overflow and underflow refusals.
 *
 * <p>Immutable and thread-safe. A write costs one parse and one formatting, a few tenths of a
 * microsecond; no regular expressions.
 */
final class FloatingType implements KeywordType {
  private final Refusals refusals;
  private final KeywordDefinition definition;
  private final boolean single;
  private final String format;
  private final double minimum;
  private final double maximum;

  FloatingType(Refusals refusals, KeywordDefinition definition) {
    this.refusals = refusals;
    this.definition = definition;
    this.single = definition.type() == KtlType.FLOAT || definition.type() == KtlType.FLOAT_ARRAY;
    this.format = definition.format().orElse(null);
    this.minimum = bound(definition.minimum(), Double.NEGATIVE_INFINITY);
    this.maximum = bound(definition.maximum(), Double.POSITIVE_INFINITY);
    if (format != null) {
      checkFormat();
    }
  }

  private double bound(Optional<BigDecimal> limit, double none) {
    return limit.map(b -> single ? (double) b.floatValue() : b.doubleValue()).orElse(none);
  }

  /** Refuses a format that fails, or whose output does not parse back as a number. */
  private void checkFormat() {
    for (double sample : new double[] {0.0, -1234567.891, 0.000123, 1.0e20}) {
      String text;
      try {
        text = String.format(Locale.ROOT, format, sample);
      } catch (IllegalFormatException e) {
        throw new IllegalArgumentException(
            "keyword " + definition.name() + ": format '" + format + "' cannot format a number: " + e.getMessage(), e);
      }
      if (NumberSyntax.classifyDecimal(text.strip()) != NumberSyntax.Decimal.NUMBER) {
        throw new IllegalArgumentException("keyword " + definition.name() + ": format '" + format
            + "' writes " + sample + " as '" + text + "', which does not read back as a number");
      }
    }
  }

  /** Whether this is {@code float} (binary {@link Float}) rather than {@code double}. */
  public boolean isSinglePrecision() {
    return single;
  }

  @Override
  public String canonicalize(String ascii) throws InvalidValueException {
    return text(parse(ascii));
  }

  @Override
  public Object toBinary(String ascii) throws InvalidValueException {
    double value = stored(parse(ascii));
    return single ? (Object) (float) value : (Object) value;
  }

  @Override
  public String fromBinary(Object binary) throws InvalidValueException {
    return text(checkBinary(binary));
  }

  /** The value the canonical text of a checked value denotes: with a format, the rounded value. */
  double stored(double value) {
    return format != null && Double.isFinite(value) ? Double.parseDouble(text(value)) : value;
  }

  /** The canonical text of a checked value (for float, a value already rounded to float). */
  String text(double value) {
    if (format != null && Double.isFinite(value)) {
      return String.format(Locale.ROOT, format, single ? (Object) (float) value : (Object) value).strip();
    }
    return single ? DecimalText.of((float) value) : DecimalText.of(value);
  }

  /** Parses and checks one value (a scalar, or an array element); for float, the float value widened. */
  double parse(String ascii) throws InvalidValueException {
    String text = refusals.requireText(ascii);
    double value = switch (NumberSyntax.classifyDecimal(text)) {
      case NUMBER -> {
        double parsed = single ? Float.parseFloat(text) : Double.parseDouble(text);
        if (Double.isInfinite(parsed)) {
          throw refusals.bad(ascii, tooLarge());
        }
        if (parsed == 0 && NumberSyntax.hasNonZeroMantissa(text)) {
          throw refusals.bad(ascii, underflow());
        }
        yield parsed;
      }
      case NAN -> Double.NaN;
      case POSITIVE_INFINITY -> Double.POSITIVE_INFINITY;
      case NEGATIVE_INFINITY -> Double.NEGATIVE_INFINITY;
      case INVALID -> {
        String radix = NumberSyntax.radixReason(text);
        throw refusals.bad(ascii, radix != null ? radix : "not a number");
      }
    };
    return check(value, ascii);
  }

  /** Validates one binary number (a scalar, or an array element). */
  double checkBinary(Object binary) throws InvalidValueException {
    if (!(binary instanceof Number n)) {
      throw refusals.badBinary(binary, "expected a number, got " + Refusals.kind(binary));
    }
    double value = n.doubleValue();
    if (Double.isInfinite(value) && (n instanceof BigDecimal || n instanceof BigInteger)) {
      throw refusals.badBinary(binary, tooLarge());
    }
    if (value == 0 && n instanceof BigDecimal b && b.signum() != 0) {
      throw refusals.badBinary(binary, underflow());
    }
    if (single && Double.isFinite(value)) {
      float rounded = (float) value;
      if (Float.isInfinite(rounded)) {
        throw refusals.badBinary(binary, tooLarge());
      }
      if (rounded == 0 && value != 0) {
        throw refusals.badBinary(binary, underflow());
      }
      value = rounded;
    }
    return check(value, Refusals.describe(binary));
  }

  private double check(double value, String shown) throws InvalidValueException {
    if (!Double.isFinite(value)) {
      if (!definition.allowNonFinite()) {
        throw refusals.bad(shown, "not finite (NaN and infinities are not allowed)");
      }
      if (Double.isNaN(value)) {
        return value;
      }
    }
    if (value < minimum) {
      throw refusals.outOfRange(shown, "below minimum " + definition.minimum().orElseThrow().toPlainString());
    }
    if (value > maximum) {
      throw refusals.outOfRange(shown, "above maximum " + definition.maximum().orElseThrow().toPlainString());
    }
    return value;
  }

  private String underflow() {
    return single ? "underflows to 0 (the smallest non-zero float is 1e-45)" : "underflows to 0 (the smallest non-zero double is 5e-324)";
  }

  private String tooLarge() {
    return single ? "too large for a float (beyond ±3.4028235e+38)" : "too large for a double (beyond ±1.7976931348623157e+308)";
  }


  @Override
  public KeywordDefinition definition() {
    return definition;
  }

  @Override
  public Class<?> binaryClass() {
    return single ? Float.class : Double.class;
  }
}
