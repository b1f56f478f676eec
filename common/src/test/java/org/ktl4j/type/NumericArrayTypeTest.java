package org.ktl4j.type;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ktl4j.type.Types.assertDoesCanonicalize;
import static org.ktl4j.type.Types.badValue;
import static org.ktl4j.type.Types.outOfRange;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.ktl4j.definition.KeywordDefinition;

class NumericArrayTypeTest {
  private final KeywordType xyz = Types.of(KeywordDefinition.builder("POINTING", KtlType.DOUBLE_ARRAY)
      .elementLabels("x", "y", "z").range(-10, 10));
  private final KeywordType three = Types.of(KeywordDefinition.builder("OFFSETS", KtlType.DOUBLE_ARRAY).length(3));
  private final KeywordType window = Types.of(KeywordDefinition.builder("WINDOW", KtlType.INTEGER_ARRAY).length(4).range(0, 4096));
  private final KeywordType variable = Types.of("PIXELS", KtlType.INTEGER_ARRAY);

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "1 2 3 | 1.0 2.0 3.0", "'  1   2\t3\t' | 1.0 2.0 3.0", "1,2,3 | 1.0 2.0 3.0", "1, 2 ,3 | 1.0 2.0 3.0",
      "-0.0 1e-7 .5 | -0.0 1e-07 0.5", "1 , 2 , 3 | 1.0 2.0 3.0",
  })
  void elementsAreCanonicalAndSeparatedBySingleSpaces(String input, String canonical) {
    assertDoesCanonicalize(three, input, canonical);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"1 | 1", "+1 010 -3 | 1 10 -3", "1 2 3 4 5 6 7 8 | 1 2 3 4 5 6 7 8"})
  void withoutALengthAnyNumberOfElementsIsAccepted(String input, String canonical) {
    assertDoesCanonicalize(variable, input, canonical);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"1 2 | expected 3 elements, got 2", "1 2 3 4 | expected 3 elements, got 4",
      "1 | expected 3 elements, got 1"})
  void wrongLengthIsBadValue(String input, String reason) {
    assertEquals(reason, badValue(() -> three.canonicalize(input)).reason());
  }

  @Test
  void badElementIsBadValueNamingItsIndex() {
    assertEquals("element 1: not a number", badValue(() -> three.canonicalize("1 x 3")).reason());
  }

  @Test
  void badElementIsBadValueNamingItsLabel() {
    InvalidValueException e = badValue(() -> xyz.canonicalize("1 2 nan"));
    assertEquals("element 2 (z): not finite (NaN and infinities are not allowed)", e.reason());
    assertEquals("1 2 nan", e.value());
  }

  @Test
  void elementOutsideTheRangeIsOutOfRangeNamingTheElement() {
    assertEquals("element 1 (y): above maximum 10", outOfRange(() -> xyz.canonicalize("0 10.5 0")).reason());
    assertEquals("element 3: below minimum 0", outOfRange(() -> window.canonicalize("0 0 512 -1")).reason());
  }

  @Test
  void fractionalElementOfAnIntegerArrayIsBadValue() {
    assertEquals("element 0: not an integer (fractions are not truncated)",
        badValue(() -> window.canonicalize("1.5 2 3 4")).reason());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"1,,2 | element 1 is empty", ",1,2 | element 0 is empty",
      "1,2, | element 2 is empty (trailing comma)", "1 , , 2 | element 1 is empty"})
  void emptyElementsAreBadValue(String input, String reason) {
    assertEquals(reason, badValue(() -> variable.canonicalize(input)).reason());
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "   ", ",", "1;2;3"})
  void emptyOrMalformedArraysAreBadValue(String input) {
    badValue(() -> variable.canonicalize(input));
  }

  @Test
  void formatAppliesToEveryElement() {
    KeywordType t = Types.of(KeywordDefinition.builder("GAINS", KtlType.FLOAT_ARRAY).format("%.1f"));
    assertDoesCanonicalize(t, "1.25 2 -0.04", "1.3 2.0 -0.0");
  }

  @Test
  void binaryFormIsAPrimitiveArray() throws InvalidValueException {
    assertArrayEquals(new int[] {1, 10, -3}, (int[]) variable.toBinary("1 010 -3"));
    assertArrayEquals(new long[] {1L << 40, 2}, (long[]) Types.of("TICKS", KtlType.INT64_ARRAY).toBinary("1099511627776 2"));
    assertArrayEquals(new float[] {0.1f, 2f}, (float[]) Types.of("GAINS", KtlType.FLOAT_ARRAY).toBinary("0.1, 2"));
    assertArrayEquals(new double[] {1, 2, 3}, (double[]) three.toBinary("1 2 3"));
  }

  @ParameterizedTest
  @CsvSource({"INTEGER_ARRAY, INTEGER, int[]", "INT64_ARRAY, INT64, long[]", "FLOAT_ARRAY, FLOAT, float[]",
      "DOUBLE_ARRAY, DOUBLE, double[]"})
  void elementTypeAndBinaryClassFollowTheArrayType(KtlType type, KtlType element, String binaryClass) {
    NumericArrayType t = (NumericArrayType) Types.of("A", type);
    assertEquals(element, t.elementType());
    assertEquals(binaryClass, t.binaryClass().getSimpleName());
    assertEquals(type, t.ktlType());
  }

  @Test
  void int32ElementOverflowIsBadValue() {
    badValue(() -> variable.canonicalize("1 2147483648"));
  }

  @Test
  void binaryWritesAcceptAnyNumericArrayOrList() throws InvalidValueException {
    assertEquals("1.0 2.0 3.0", three.fromBinary(new int[] {1, 2, 3}));
    assertEquals("1.0 2.5 3.0", three.fromBinary(List.of(1, 2.5, 3L)));
    assertEquals("1.0 2.0 3.0", three.fromBinary(new Number[] {1, 2f, 3.0}));
    assertEquals("1 2 3 4", window.fromBinary(new double[] {1, 2, 3, 4}));
    assertEquals("1 2", variable.fromBinary(new byte[] {1, 2}));
  }

  @Test
  void badBinaryElementsNameTheElement() {
    assertEquals("element 1: not finite (NaN and infinities are not allowed)",
        badValue(() -> three.fromBinary(new double[] {1, Double.NaN, 3})).reason());
    assertEquals("element 2 (z): above maximum 10", outOfRange(() -> xyz.fromBinary(new double[] {1, 2, 30})).reason());
    assertEquals("element 1: expected a number, got a String",
        badValue(() -> three.fromBinary(Arrays.asList(1, "2", 3))).reason());
    assertEquals("element 0: not an integer (fractions are not truncated)",
        badValue(() -> window.fromBinary(new double[] {0.5, 1, 2, 3})).reason());
  }

  @Test
  void badBinaryShapesAreBadValue() {
    assertEquals("expected 3 elements, got 2", badValue(() -> three.fromBinary(new double[] {1, 2})).reason());
    badValue(() -> variable.fromBinary(new int[0]));
    badValue(() -> three.fromBinary("1 2 3"));
    badValue(() -> three.fromBinary(new boolean[] {true, false, true}));
    badValue(() -> three.fromBinary(1.0));
    badValue(() -> three.fromBinary(null));
  }
}
