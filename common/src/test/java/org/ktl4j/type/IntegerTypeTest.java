package org.ktl4j.type;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ktl4j.type.Types.assertDoesCanonicalize;
import static org.ktl4j.type.Types.badValue;
import static org.ktl4j.type.Types.outOfRange;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.ktl4j.definition.KeywordDefinition;

class IntegerTypeTest {
  private final KeywordType int32 = Types.of("STEPS", KtlType.INTEGER);
  private final KeywordType int64 = Types.of("TICKS", KtlType.INT64);
  private final KeywordType ranged = Types.of(KeywordDefinition.builder("AZ", KtlType.INTEGER).range(0, 360));

  @ParameterizedTest
  @CsvSource({
      "42, 42", "'  42 ', 42", "+42, 42", "-42, -42", "007, 7", "010, 10", "-010, -10", "-0, 0", "+0, 0",
      "0000000000000000000000000042, 42", "2147483647, 2147483647", "-2147483648, -2147483648",
  })
  void integerValuesAreCanonicalPlainDecimal(String input, String canonical) {
    assertDoesCanonicalize(int32, input, canonical);
  }

  @ParameterizedTest
  @CsvSource({
      "9223372036854775807, 9223372036854775807", "-9223372036854775808, -9223372036854775808",
      "09223372036854775807, 9223372036854775807",
      "2147483648, 2147483648", "'\t12\t', 12",
  })
  void int64ValuesAreCanonicalPlainDecimal(String input, String canonical) {
    assertDoesCanonicalize(int64, input, canonical);
  }

  @ParameterizedTest
  @ValueSource(strings = {"3.5", "12.0", "-0.1", ".5", "5."})
  void fractionForIntegerIsBadValue(String input) {
    assertEquals("not an integer (fractions are not truncated)", badValue(() -> int32.canonicalize(input)).reason());
  }

  @ParameterizedTest
  @ValueSource(strings = {"1e3", "1E3", "-2e+2"})
  void exponentForIntegerIsBadValue(String input) {
    assertEquals("not an integer (exponents are not accepted)", badValue(() -> int32.canonicalize(input)).reason());
  }

  @ParameterizedTest
  @ValueSource(strings = {"2147483648", "-2147483649", "99999999999999999999999"})
  void int32OverflowIsBadValue(String input) {
    assertTrue(badValue(() -> int32.canonicalize(input)).reason().startsWith("does not fit a 32-bit integer"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"9223372036854775808", "-9223372036854775809", "18446744073709551615"})
  void int64OverflowIsBadValue(String input) {
    assertTrue(badValue(() -> int64.canonicalize(input)).reason().startsWith("does not fit a 64-bit integer"));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "  ", "abc", "0x", "+", "-", "--1", "1 2", "1,000", "12abc", "0x1g", "٣", "１２",
      "NaN", "inf", "1_000", "0b101"})
  void nonIntegersAreBadValue(String input) {
    badValue(() -> int32.canonicalize(input));
    badValue(() -> int64.canonicalize(input));
  }

  @Test
  void oneMegabyteOfGarbageIsRefusedQuicklyWithAShortMessage() {
    String garbage = "7" + "x".repeat(1 << 20);
    InvalidValueException e = assertTimeoutPreemptively(Duration.ofSeconds(1), () -> badValue(() -> int32.canonicalize(garbage)));
    assertTrue(e.getMessage().length() < 250, e.getMessage());
  }

  @Test
  void oneMegabyteOfDigitsIsAnOverflowWithAShortMessage() {
    String digits = "9".repeat(1 << 20);
    InvalidValueException e = assertTimeoutPreemptively(Duration.ofSeconds(1), () -> badValue(() -> int64.canonicalize(digits)));
    assertTrue(e.reason().startsWith("does not fit"), e.reason());
    assertTrue(e.getMessage().length() < 250, e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "360", "180", " 010 "})
  void boundsAreInclusive(String input) throws InvalidValueException {
    ranged.canonicalize(input);
  }

  @Test
  void aboveMaximumIsOutOfRangeWithAClearMessage() {
    InvalidValueException e = outOfRange(() -> ranged.canonicalize("400"));
    assertEquals("telescope.AZ: value '400' refused (OUT_OF_RANGE): above maximum 360", e.getMessage());
  }

  @Test
  void belowMinimumIsOutOfRange() {
    assertEquals("below minimum 0", outOfRange(() -> ranged.canonicalize("-1")).reason());
  }

  @Test
  void fractionalBoundsAreRoundedInwards() throws InvalidValueException {
    KeywordType t = Types.of(KeywordDefinition.builder("K", KtlType.INTEGER).range(new BigDecimal("0.5"), new BigDecimal("9.5")));
    outOfRange(() -> t.canonicalize("0"));
    outOfRange(() -> t.canonicalize("10"));
    assertEquals("1", t.canonicalize("1"));
    assertEquals("9", t.canonicalize("9"));
    assertEquals("below minimum 0.5", outOfRange(() -> t.canonicalize("0")).reason());
  }

  @Test
  void boundsBeyondTheTypeDoNotOverflow() throws InvalidValueException {
    KeywordType t = Types.of(KeywordDefinition.builder("K", KtlType.INT64)
        .range(new BigDecimal("-1e30"), new BigDecimal("1e30")));
    assertEquals("9223372036854775807", t.canonicalize("9223372036854775807"));
  }

  @Test
  void int64RangeIsExactAtTheExtremes() throws InvalidValueException {
    KeywordType t = Types.of(KeywordDefinition.builder("K", KtlType.INT64).range(Long.MAX_VALUE - 1, Long.MAX_VALUE));
    assertEquals("9223372036854775807", t.canonicalize("9223372036854775807"));
    outOfRange(() -> t.canonicalize("9223372036854775805"));
  }

  @Test
  void binaryFormIsIntegerOrLong() throws InvalidValueException {
    assertEquals(42, int32.toBinary("42"));
    assertEquals(42L, int64.toBinary(" 42 "));
    assertEquals(Integer.class, int32.binaryClass());
    assertEquals(Long.class, int64.binaryClass());
    assertEquals(KtlType.INTEGER, int32.ktlType());
    assertEquals(KtlType.INT64, int64.ktlType());
    assertTrue(((IntegerType) int64).is64Bit());
  }

  @Test
  void integralNumbersOfAnyClassAreBinaryIntegers() throws InvalidValueException {
    assertEquals("42", int32.fromBinary(42));
    assertEquals("42", int32.fromBinary(42L));
    assertEquals("42", int32.fromBinary((short) 42));
    assertEquals("3", int32.fromBinary(3.0));
    assertEquals("3", int32.fromBinary(3.0f));
    assertEquals("3", int32.fromBinary(new BigDecimal("3.000")));
    assertEquals("3", int32.fromBinary(BigInteger.valueOf(3)));
    assertEquals("3", int32.fromBinary(new AtomicInteger(3)));
    assertEquals("-9223372036854775808", int64.fromBinary(Long.MIN_VALUE));
  }

  @Test
  void fractionalBinaryIsBadValue() {
    assertEquals("not an integer (fractions are not truncated)", badValue(() -> int32.fromBinary(3.5)).reason());
    badValue(() -> int32.fromBinary(new BigDecimal("3.5")));
    assertEquals("not an integer", badValue(() -> int32.fromBinary(Double.NaN)).reason());
    assertEquals("not an integer", badValue(() -> int32.fromBinary(Double.POSITIVE_INFINITY)).reason());
  }

  @Test
  void overflowingBinaryIsBadValue() {
    assertTrue(badValue(() -> int32.fromBinary(1L << 31)).reason().startsWith("does not fit a 32-bit"));
    assertTrue(badValue(() -> int64.fromBinary(1e20)).reason().startsWith("does not fit a 64-bit"));
    badValue(() -> int64.fromBinary(BigInteger.ONE.shiftLeft(63)));
    badValue(() -> int64.fromBinary(0x1p63));
  }

  @Test
  void nonNumberBinaryIsBadValue() {
    assertEquals("expected a number, got a String", badValue(() -> int32.fromBinary("42")).reason());
    badValue(() -> int32.fromBinary(true));
    badValue(() -> int32.fromBinary(null));
  }

  @Test
  void binaryWritesAreRangeChecked() {
    assertEquals("above maximum 360", outOfRange(() -> ranged.fromBinary(361)).reason());
  }
}
