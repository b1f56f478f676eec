package org.ktl4j.type;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Optional;
import org.ktl4j.definition.KeywordDefinition;

/**
 * {@code integer} (32-bit, binary {@link Integer}) and {@code int64} (binary {@link Long}).
 *
 * <p>Writes accept a decimal integer, {@code [+-]?[0-9]+}, with surrounding whitespace; leading zeros
 * are decimal ({@code 010} is 10) and the canonical form is plain decimal ({@code +007} → {@code 7},
 * {@code -0} → {@code 0}). {@link org.ktl4j.ErrorCode#BAD_VALUE BAD_VALUE}: a radix prefix
 * ({@code 0x10} is refused with "hexadecimal is not accepted: write 16"; {@code 0b}, {@code 0o} alike),
 * fractions and exponents ({@code 3.5} is never truncated to 3, and {@code 1e3} is not an integer
 * literal), and a value that overflows the type. The definition's
 * minimum and maximum are inclusive ({@code OUT_OF_RANGE}); fractional bounds are rounded inwards.
 * A {@code format} in the definition is a display hint for clients and does not change the canonical form.
 * Binary writes accept any {@link Number} with an exact integral value ({@code 3.0} yes, {@code 3.5} no).
 *
 * <p>Immutable and thread-safe; parsing does not allocate.
 */
final class IntegerType implements KeywordType {
  private final Refusals refusals;
  private final KeywordDefinition definition;
  private final boolean wide;
  private final long minimum;
  private final long maximum;

  IntegerType(Refusals refusals, KeywordDefinition definition) {
    this(refusals, definition, definition.type() == KtlType.INT64 || definition.type() == KtlType.INT64_ARRAY);
  }

  private IntegerType(Refusals refusals, KeywordDefinition definition, boolean wide) {
    this.refusals = refusals;
    this.definition = definition;
    this.wide = wide;
    this.minimum = bound(definition.minimum(), RoundingMode.CEILING, wide ? Long.MIN_VALUE : Integer.MIN_VALUE);
    this.maximum = bound(definition.maximum(), RoundingMode.FLOOR, wide ? Long.MAX_VALUE : Integer.MAX_VALUE);
  }

  /** A bound rounded inwards to an integer, clamped to the type's own range. */
  private static long bound(Optional<BigDecimal> limit, RoundingMode rounding, long typeLimit) {
    if (limit.isEmpty()) {
      return typeLimit;
    }
    BigDecimal rounded = limit.get().setScale(0, rounding);
    BigDecimal min = BigDecimal.valueOf(Long.MIN_VALUE);
    BigDecimal max = BigDecimal.valueOf(Long.MAX_VALUE);
    return rounded.max(min).min(max).longValueExact();
  }

  /** Whether this is {@code int64} (binary {@link Long}) rather than {@code integer} ({@link Integer}). */
  public boolean is64Bit() {
    return wide;
  }

  @Override
  public String canonicalize(String ascii) throws InvalidValueException {
    return Long.toString(parse(ascii));
  }

  @Override
  public Object toBinary(String ascii) throws InvalidValueException {
    long value = parse(ascii);
    return wide ? (Object) value : (Object) (int) value;
  }

  @Override
  public String fromBinary(Object binary) throws InvalidValueException {
    return Long.toString(checkBinary(binary));
  }

  /** Parses and checks one value (a scalar, or an array element). */
  long parse(String ascii) throws InvalidValueException {
    String text = refusals.requireText(ascii);
    if (!NumberSyntax.isInteger(text)) {
      throw refusals.bad(ascii, notAnInteger(text));
    }
    long value;
    try {
      value = NumberSyntax.parseInteger(text);
    } catch (ArithmeticException e) {
      throw refusals.bad(ascii, overflow());
    }
    if (!wide && (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)) {
      throw refusals.bad(ascii, overflow());
    }
    return checkRange(value, ascii);
  }

  /** Validates one binary number (a scalar, or an array element). */
  long checkBinary(Object binary) throws InvalidValueException {
    if (!(binary instanceof Number n)) {
      throw refusals.badBinary(binary, "expected a number, got " + Refusals.kind(binary));
    }
    Long exact = NumberSyntax.exactLong(n);
    if (exact == null) {
      throw refusals.badBinary(binary, !isFinite(n) ? "not an integer"
          : isIntegral(n) ? overflow() : "not an integer (fractions are not truncated)");
    }
    long value = exact;
    if (!wide && (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)) {
      throw refusals.badBinary(binary, overflow());
    }
    return checkRange(value, Refusals.describe(binary));
  }

  private long checkRange(long value, String shown) throws InvalidValueException {
    if (value < minimum) {
      throw refusals.outOfRange(shown, "below minimum " + definition.minimum().orElseThrow().toPlainString());
    }
    if (value > maximum) {
      throw refusals.outOfRange(shown, "above maximum " + definition.maximum().orElseThrow().toPlainString());
    }
    return value;
  }

  private static boolean isFinite(Number n) {
    return n instanceof BigDecimal || n instanceof BigInteger || Double.isFinite(n.doubleValue());
  }

  private static boolean isIntegral(Number n) {
    if (n instanceof BigDecimal b) {
      return b.stripTrailingZeros().scale() <= 0;
    }
    double d = n.doubleValue();
    return d == Math.rint(d);
  }

  private String overflow() {
    return wide
        ? "does not fit a 64-bit integer (" + Long.MIN_VALUE + ".." + Long.MAX_VALUE + ")"
        : "does not fit a 32-bit integer (" + Integer.MIN_VALUE + ".." + Integer.MAX_VALUE + ")";
  }

  static String notAnInteger(String text) {
    String radix = NumberSyntax.radixReason(text);
    if (radix != null) {
      return radix;
    }
    if (NumberSyntax.classifyDecimal(text) == NumberSyntax.Decimal.NUMBER) {
      return NumberSyntax.hasFraction(text)
          ? "not an integer (fractions are not truncated)"
          : "not an integer (exponents are not accepted)";
    }
    return "not an integer";
  }


  @Override
  public KeywordDefinition definition() {
    return definition;
  }

  @Override
  public Class<?> binaryClass() {
    return wide ? Long.class : Integer.class;
  }
}
