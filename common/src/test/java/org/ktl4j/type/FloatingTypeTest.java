package org.ktl4j.type;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ktl4j.type.Types.assertDoesCanonicalize;
import static org.ktl4j.type.Types.badValue;
import static org.ktl4j.type.Types.outOfRange;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.ktl4j.definition.KeywordDefinition;

class FloatingTypeTest {
  private final KeywordType dbl = Types.of("AZ", KtlType.DOUBLE);
  private final KeywordType flt = Types.of("EXPTIME", KtlType.FLOAT);
  private final KeywordType nonFinite = Types.of(KeywordDefinition.builder("TEMP", KtlType.DOUBLE).allowNonFinite(true));
  private final KeywordType ranged = Types.of(KeywordDefinition.builder("AZ", KtlType.DOUBLE).range(0, 360));

  @ParameterizedTest
  @CsvSource({
      "45, 45.0", "45.0, 45.0", "'  45.50 ', 45.5", "+1, 1.0", ".5, 0.5", "5., 5.0", "0.1, 0.1",
      "1.5e-3, 0.0015", "1.5E-3, 0.0015", "0.0001, 0.0001", "0.00001, 1e-05", "1.5e-7, 1.5e-07",
      "12345678, 12345678.0", "123456789.123, 123456789.123", "1e15, 1000000000000000.0", "1e16, 1e+16",
      "-2.5E+100, -2.5e+100", "1.7976931348623157e308, 1.7976931348623157e+308", "4.9e-324, 5e-324",
      "0, 0.0", "0e-400, 0.0", "007.5, 7.5", "+0, 0.0", "-0.0, -0.0", "-0, -0.0", "0.30000000000000004, 0.30000000000000004",
  })
  void doubleValuesAreCanonicalShortestRoundTrip(String input, String canonical) {
    assertDoesCanonicalize(dbl, input, canonical);
  }

  @ParameterizedTest
  @CsvSource({
      "0.1, 0.1", "45, 45.0", "3.4028235e38, 3.4028235e+38", "16777217, 16777216.0", "1.4e-45, 1e-45",
      "0.333333333333, 0.33333334", "-0.0, -0.0",
  })
  void floatValuesAreCanonicalShortestFloatRoundTrip(String input, String canonical) {
    assertDoesCanonicalize(flt, input, canonical);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "%.3f | 45 | 45.000", "%.3f | 1.23456 | 1.235", "%.2f | -0.001 | -0.00", "%.0f | 359.6 | 360",
      "%.2e | 12345 | 1.23e+04", "%g | 0.5 | 0.500000", "%8.2f | 1.5 | 1.50",
  })
  void formatDefinesTheCanonicalForm(String format, String input, String canonical) {
    assertDoesCanonicalize(Types.of(KeywordDefinition.builder("AZ", KtlType.DOUBLE).format(format)), input, canonical);
  }

  @Test
  void formattedBinaryIsTheRoundedValue() throws InvalidValueException {
    KeywordType t = Types.of(KeywordDefinition.builder("AZ", KtlType.DOUBLE).format("%.2f"));
    assertEquals(1.23, t.toBinary("1.23456"));
    assertEquals("1.23", t.fromBinary(1.23456));
  }

  @ParameterizedTest
  @ValueSource(strings = {"%d", "%x", "%.2f deg", "%,.2f", "%q", "%s%s"})
  void formatThatDoesNotReadBackIsRefusedWhenTheTypeIsMade(String format) {
    KeywordDefinition d = KeywordDefinition.builder("AZ", KtlType.DOUBLE).format(format).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeywordType.of("telescope", d));
    assertTrue(e.getMessage().contains("AZ"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"NaN", "nan", "inf", "-inf", "+Infinity", "INFINITY", "-infinity"})
  void nonFiniteIsBadValueUnlessAllowed(String input) {
    assertEquals("not finite (NaN and infinities are not allowed)", badValue(() -> dbl.canonicalize(input)).reason());
    badValue(() -> flt.canonicalize(input));
  }

  @ParameterizedTest
  @CsvSource({"nan, NaN", "NaN, NaN", "inf, Infinity", "+Infinity, Infinity", "-INF, -Infinity", "-infinity, -Infinity"})
  void nonFiniteIsCanonicalizedWhenAllowed(String input, String canonical) {
    assertDoesCanonicalize(nonFinite, input, canonical);
  }

  @Test
  void nonFiniteBinaryIsBadValueUnlessAllowed() throws InvalidValueException {
    badValue(() -> dbl.fromBinary(Double.NaN));
    badValue(() -> dbl.fromBinary(Float.NEGATIVE_INFINITY));
    assertEquals("NaN", nonFinite.fromBinary(Double.NaN));
    assertEquals("-Infinity", nonFinite.fromBinary(Double.NEGATIVE_INFINITY));
    assertTrue(Double.isNaN((Double) nonFinite.toBinary("nan")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1e309", "-1e309", "1.8e308"})
  void doubleOverflowIsBadValueEvenWhenNonFiniteIsAllowed(String input) {
    assertTrue(badValue(() -> dbl.canonicalize(input)).reason().startsWith("too large for a double"));
    badValue(() -> nonFinite.canonicalize(input));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "DOUBLE | 1e-400 | underflows to 0 (the smallest non-zero double is 5e-324)",
      "DOUBLE | -1e-400 | underflows to 0 (the smallest non-zero double is 5e-324)",
      "DOUBLE | 0.0000000000000000000001e-303 | underflows to 0 (the smallest non-zero double is 5e-324)",
      "DOUBLE | 2.4703282292062327e-324 | underflows to 0 (the smallest non-zero double is 5e-324)",
      "FLOAT | 1e-50 | underflows to 0 (the smallest non-zero float is 1e-45)",
      "FLOAT | -7e-46 | underflows to 0 (the smallest non-zero float is 1e-45)",
      "FLOAT | 4.9e-324 | underflows to 0 (the smallest non-zero float is 1e-45)",
      "DOUBLE_ARRAY | 1 1e-400 | element 1: underflows to 0 (the smallest non-zero double is 5e-324)",
      "FLOAT_ARRAY | 1e-50, 1 | element 0: underflows to 0 (the smallest non-zero float is 1e-45)",
  })
  void nonZeroTextThatRoundsToZeroIsBadValue(KtlType type, String input, String reason) {
    assertEquals(reason, badValue(() -> Types.of("K", type).canonicalize(input)).reason());
  }

  @ParameterizedTest
  @CsvSource({
      "DOUBLE, 2.4703282292062328e-324, 5e-324", "DOUBLE, 3e-324, 5e-324", "DOUBLE, 2.225073858507201e-308, 2.225073858507201e-308",
      "FLOAT, 8e-46, 1e-45", "FLOAT, 1.1754942e-38, 1.1754942e-38", "DOUBLE, 0e-999, 0.0", "DOUBLE, -0.000e-999, -0.0",
      "FLOAT, -0, -0.0", "DOUBLE_ARRAY, 5e-324 -0, 5e-324 -0.0",
  })
  void subnormalsAndZerosAreAccepted(KtlType type, String input, String canonical) {
    assertDoesCanonicalize(Types.of("K", type), input, canonical);
  }

  @Test
  void binaryThatRoundsToZeroIsBadValue() {
    String floatReason = "underflows to 0 (the smallest non-zero float is 1e-45)";
    assertEquals(floatReason, badValue(() -> flt.fromBinary(1e-50)).reason());
    assertEquals(floatReason, badValue(() -> flt.fromBinary(Double.MIN_VALUE)).reason());
    assertEquals("underflows to 0 (the smallest non-zero double is 5e-324)",
        badValue(() -> dbl.fromBinary(new BigDecimal("1e-400"))).reason());
    assertEquals("element 1: " + floatReason,
        badValue(() -> Types.of("K", KtlType.FLOAT_ARRAY).fromBinary(new double[] {1, -1e-50})).reason());
  }

  @Test
  void floatTextIsRoundedOnceNotThroughADouble() throws InvalidValueException {
    // Just above the midpoint of 1 and the next float; through a double it would be the midpoint, then 1.
    assertEquals("1.0000001", flt.canonicalize("1.00000005960464477550"));
  }

  @Test
  void negativeZeroIsKeptAndWithinAZeroMinimum() throws InvalidValueException {
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) dbl.toBinary("-0")));
    assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits((Float) flt.toBinary("-0.0")));
    assertEquals("-0.0", flt.fromBinary(-0.0f));
    assertEquals("-0.0", ranged.canonicalize("-0"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"3.5e38", "-1e39", "1e309"})
  void valueOutsideFloatRangeIsBadValue(String input) {
    assertTrue(badValue(() -> flt.canonicalize(input)).reason().startsWith("too large for a float"));
  }

  @Test
  void binaryOutsideFloatRangeIsBadValue() {
    assertTrue(badValue(() -> flt.fromBinary(1e300)).reason().startsWith("too large for a float"));
    assertTrue(badValue(() -> dbl.fromBinary(new BigDecimal("1e400"))).reason().startsWith("too large for a double"));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", " ", "abc", "1.5f", "1d", "0x1p3", "0x10", "1e", "e5", ".", "-", "1,5", "1 2", "--1",
      "1.2.3", "-nan", "infinite", "١", "1e5.5"})
  void nonNumbersAreBadValue(String input) {
    badValue(() -> dbl.canonicalize(input));
    badValue(() -> nonFinite.canonicalize(input));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "360", "-0.0", "359.9999999"})
  void boundsAreInclusiveOnTheParsedValue(String input) throws InvalidValueException {
    ranged.canonicalize(input);
  }

  @ParameterizedTest
  @CsvSource({"360.0000001, above maximum 360", "-1e-9, below minimum 0", "1e300, above maximum 360"})
  void outsideBoundsIsOutOfRange(String input, String reason) {
    assertEquals(reason, outOfRange(() -> ranged.canonicalize(input)).reason());
  }

  @Test
  void rangeIsCheckedBeforeFormatting() throws InvalidValueException {
    KeywordType t = Types.of(KeywordDefinition.builder("AZ", KtlType.DOUBLE).range(0, 360).format("%.0f"));
    outOfRange(() -> t.canonicalize("360.4"));
    assertEquals("360", t.canonicalize("359.6"));
  }

  @Test
  void floatRangeIsComparedInFloatPrecision() throws InvalidValueException {
    KeywordType t = Types.of(KeywordDefinition.builder("K", KtlType.FLOAT).range(new BigDecimal("0.1"), new BigDecimal("0.3")));
    assertEquals("0.1", t.canonicalize("0.1"));
    assertEquals("0.3", t.canonicalize("0.3"));
    outOfRange(() -> t.canonicalize("0.30001"));
  }

  @Test
  void infinityIsOutOfRangeButNaNIsNotWhenNonFiniteIsAllowed() throws InvalidValueException {
    KeywordType t = Types.of(KeywordDefinition.builder("K", KtlType.DOUBLE).range(0, 1).allowNonFinite(true));
    outOfRange(() -> t.canonicalize("inf"));
    outOfRange(() -> t.canonicalize("-inf"));
    assertEquals("NaN", t.canonicalize("nan"));
  }

  @Test
  void binaryFormIsFloatOrDouble() throws InvalidValueException {
    assertEquals(45.5, dbl.toBinary("45.5"));
    assertEquals(0.1f, flt.toBinary("0.1"));
    assertEquals(Double.class, dbl.binaryClass());
    assertEquals(Float.class, flt.binaryClass());
    assertTrue(((FloatingType) flt).isSinglePrecision());
  }

  @Test
  void anyNumberIsABinaryFloatingValue() throws InvalidValueException {
    assertEquals("45.0", dbl.fromBinary(45));
    assertEquals("45.0", dbl.fromBinary(45L));
    assertEquals("0.1", dbl.fromBinary(new BigDecimal("0.1")));
    assertEquals("0.10000000149011612", dbl.fromBinary(0.1f));
    assertEquals("0.1", flt.fromBinary(0.1d));
    assertEquals("-0.0", dbl.fromBinary(-0.0));
  }

  @Test
  void nonNumberBinaryIsBadValue() {
    badValue(() -> dbl.fromBinary("1.0"));
    badValue(() -> dbl.fromBinary(true));
    badValue(() -> dbl.fromBinary(null));
  }

  @Test
  void binaryWritesAreRangeChecked() {
    assertEquals("above maximum 360", outOfRange(() -> ranged.fromBinary(360.5)).reason());
  }

  @Test
  void everyFiniteDoubleRoundTripsExactly() throws InvalidValueException {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 20_000; i++) {
      double value = Double.longBitsToDouble(random.nextLong());
      if (!Double.isFinite(value)) {
        continue;
      }
      String ascii = dbl.fromBinary(value);
      assertEquals(Double.doubleToRawLongBits(value), Double.doubleToRawLongBits((Double) dbl.toBinary(ascii)), ascii);
      assertEquals(ascii, dbl.canonicalize(ascii));
    }
  }

  @Test
  void everyFiniteFloatRoundTripsExactly() throws InvalidValueException {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 20_000; i++) {
      float value = Float.intBitsToFloat(random.nextInt());
      if (!Float.isFinite(value)) {
        continue;
      }
      String ascii = flt.fromBinary(value);
      assertEquals(Float.floatToRawIntBits(value), Float.floatToRawIntBits((Float) flt.toBinary(ascii)), ascii);
      assertEquals(ascii, flt.canonicalize(ascii));
    }
  }

  @Test
  void oneMegabyteOfGarbageIsRefusedWithAShortMessage() {
    InvalidValueException e = badValue(() -> dbl.canonicalize("1" + "z".repeat(1 << 20)));
    assertTrue(e.getMessage().length() < 250, e.getMessage());
  }
}
