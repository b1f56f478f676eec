package org.ktl4j.type;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The canonical text of float and double values, checked against the rules of protocol §7 with a slow
 * {@link BigDecimal} reference: it reads back, no shorter decimal reads back, it is the closest of the
 * shortest, and it is laid out as Python's {@code repr}.
 */
class ShortestDecimalTextTest {
  /** Positional: digits, a point, at least one digit. Scientific: one digit, optional fraction without trailing zeros, e±dd. */
  private static final Pattern POSITIONAL = Pattern.compile("-?(0|[1-9][0-9]*)\\.[0-9]+");
  private static final Pattern SCIENTIFIC = Pattern.compile("-?[1-9](\\.[0-9]*[1-9])?e([+-][0-9]{2,3})");

  private final KeywordType dbl = Types.of("D", KtlType.DOUBLE);
  private final KeywordType flt = Types.of("F", KtlType.FLOAT);

  static DoubleStream doublePowersOfTwo() {
    return IntStream.rangeClosed(-1074, 1023).mapToDouble(e -> Math.scalb(1.0, e));
  }

  static Stream<Float> floatPowersOfTwo() {
    return IntStream.rangeClosed(-149, 127).mapToObj(e -> Math.scalb(1.0f, e));
  }

  /** Values with few significant bits, where a one-digit decimal may read back: the subnormals Schubfach writes with two. */
  static Stream<Float> smallestFloats() {
    return IntStream.rangeClosed(1, 300).mapToObj(Float::intBitsToFloat);
  }

  static DoubleStream smallestDoubles() {
    return IntStream.rangeClosed(1, 300).mapToDouble(bits -> Double.longBitsToDouble(bits));
  }

  static DoubleStream randomDoubles() {
    SplittableRandom random = new SplittableRandom(2098);
    return DoubleStream.generate(() -> Double.longBitsToDouble(random.nextLong())).filter(Double::isFinite).limit(1_000);
  }

  static Stream<Float> randomFloats() {
    SplittableRandom random = new SplittableRandom(277);
    return Stream.generate(() -> Float.intBitsToFloat(random.nextInt())).filter(Float::isFinite).limit(1_000);
  }

  @ParameterizedTest
  @MethodSource({"doublePowersOfTwo", "smallestDoubles", "randomDoubles"})
  void doubleTextIsTheClosestShortestDecimal(double value) throws InvalidValueException {
    String text = dbl.fromBinary(value);
    assertEquals(value, Double.parseDouble(text), text);
    assertEquals(value, (Double) dbl.toBinary(text), text);
    assertNoShorterDecimalReadsBack(text, value, false);
    assertEquals(0, reference(value, false).compareTo(new BigDecimal(text)), () -> text + " vs " + reference(value, false));
    assertLaidOutLikePythonRepr(text);
  }

  @ParameterizedTest
  @MethodSource({"floatPowersOfTwo", "smallestFloats", "randomFloats"})
  void floatTextIsTheClosestShortestFloatDecimal(float value) throws InvalidValueException {
    String text = flt.fromBinary(value);
    assertEquals(value, Float.parseFloat(text), text);
    assertEquals(value, (Float) flt.toBinary(text), text);
    assertNoShorterDecimalReadsBack(text, value, true);
    assertEquals(0, reference(value, true).compareTo(new BigDecimal(text)), () -> text + " vs " + reference(value, true));
    assertLaidOutLikePythonRepr(text);
  }

  @ParameterizedTest
  @CsvSource({
      // JDK 17's Double.toString gives 7.2911220195563975E-304, 1.0E23 is fine, 2^-44 5.6843418860808015E-14.
      "0x1p-1007, 7.291122019556398e-304", "0x1p-44, 5.684341886080802e-14", "1e23, 1e+23",
      // Schubfach (and JDK 19+) write these with two digits: 4.9E-324, 9.9E-324, 7.9E-323.
      "0x1p-1074, 5e-324", "0x1p-1073, 1e-323", "0x1p-1070, 8e-323", "0x0.0000000000003p-1022, 1.5e-323",
      "0x1p1023, 8.98846567431158e+307", "0x1.fffffffffffffp1023, 1.7976931348623157e+308",
      "0x1p-1022, 2.2250738585072014e-308", "0x0.fffffffffffffp-1022, 2.225073858507201e-308",
  })
  void doubleTextsThatJavaSeventeenOrSchubfachWriteLonger(String hexValue, String text) throws InvalidValueException {
    assertEquals(text, dbl.fromBinary(Double.parseDouble(hexValue)));
  }

  @ParameterizedTest
  @CsvSource({
      "0x1p-149, 1e-45", "0x1p-148, 3e-45", "0x1p-147, 6e-45", "0x0.00000ep-126, 1e-44", "0x1p-126, 1.1754944e-38",
      "0x1.fffffep127, 3.4028235e+38", "0x1p127, 1.7014118e+38", "0x1p24, 16777216.0", "0x1p-10, 0.0009765625",
  })
  void floatTextsUseTheFloatShortestForm(String hexValue, String text) throws InvalidValueException {
    assertEquals(text, flt.fromBinary(Float.parseFloat(hexValue)));
  }

  @ParameterizedTest
  @CsvSource({
      "1e-4, 0.0001", "1.5e-5, 1.5e-05", "123.456, 123.456", "1e15, 1000000000000000.0", "9.999999999999998e15, 9999999999999998.0",
      "1e16, 1e+16", "1.2345e16, 1.2345e+16", "-1e-100, -1e-100", "1e100, 1e+100", "1e-10, 1e-10", "0.5, 0.5", "100, 100.0",
  })
  void layoutIsPositionalForExponentsMinusFourToFifteen(double value, String text) throws InvalidValueException {
    assertEquals(text, dbl.fromBinary(value));
  }

  /** (b) of the rules: the text rounded, either way, to one significant digit fewer does not read back. */
  private static void assertNoShorterDecimalReadsBack(String text, double value, boolean single) {
    int digits = new BigDecimal(text).stripTrailingZeros().precision();
    if (digits == 1) {
      return;
    }
    BigDecimal exact = new BigDecimal(value);
    for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
      BigDecimal shorter = exact.round(new MathContext(digits - 1, mode));
      assertFalse(readsBack(shorter, value, single), () -> text + ": " + shorter + " reads back too");
    }
  }

  /**
   * The closest of the shortest decimals that read back, found the slow way: for each length, only the
   * exact value rounded down or up can be in the rounding interval.
   */
  private static BigDecimal reference(double value, boolean single) {
    BigDecimal exact = new BigDecimal(value);
    for (int digits = 1; ; digits++) {
      BigDecimal down = exact.round(new MathContext(digits, RoundingMode.FLOOR));
      BigDecimal up = exact.round(new MathContext(digits, RoundingMode.CEILING));
      boolean downReads = readsBack(down, value, single);
      boolean upReads = readsBack(up, value, single);
      if (downReads && upReads) {
        int closer = exact.subtract(down).abs().compareTo(up.subtract(exact).abs());
        if (closer != 0) {
          return closer < 0 ? down : up;
        }
        return down.unscaledValue().testBit(0) ? up : down;
      }
      if (downReads || upReads) {
        return downReads ? down : up;
      }
    }
  }

  private static boolean readsBack(BigDecimal decimal, double value, boolean single) {
    return single ? Float.parseFloat(decimal.toString()) == (float) value : Double.parseDouble(decimal.toString()) == value;
  }

  private static void assertLaidOutLikePythonRepr(String text) {
    int exponent = new BigDecimal(text).stripTrailingZeros().precision() - new BigDecimal(text).stripTrailingZeros().scale() - 1;
    if (exponent >= -4 && exponent < 16) {
      assertTrue(POSITIONAL.matcher(text).matches(), text);
      assertTrue(!text.endsWith("0") || text.endsWith(".0"), () -> text + " has trailing zeros");
    } else {
      Matcher m = SCIENTIFIC.matcher(text);
      assertTrue(m.matches(), text);
      assertEquals(exponent, Integer.parseInt(m.group(2)), text);
    }
  }
}
