package org.ktl4j.type;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ktl4j.type.Types.assertDoesCanonicalize;
import static org.ktl4j.type.Types.badValue;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.ktl4j.definition.KeywordDefinition;

class MaskTypeTest {
  private final KeywordType lamps = Types.of(KeywordDefinition.builder("LAMPS", KtlType.MASK)
      .enumerator(0, "Neon").enumerator(1, "Argon").enumerator(3, "Quartz Halogen").enumerator(63, "Top"));
  private final KeywordType bare = Types.of("FLAGS", KtlType.MASK);

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "neon | Neon", "argon, neon | Neon, Argon", "Argon Neon | Neon, Argon", "  neon,argon  | Neon, Argon",
      "neon neon, NEON | Neon", "none | none", "NONE | none", "none, argon | Argon", "0 | none", "3 | Neon, Argon",
      "9 | Neon, Quartz Halogen", "09 | Neon, Quartz Halogen", "quartz halogen, neon | Neon, Quartz Halogen",
      "9223372036854775808 | Top", "-9223372036854775808 | Top", "top argon | Argon, Top",
  })
  void labelsAndNumbersAreCanonicalizedToSetBitLabelsInBitOrder(String input, String canonical) {
    assertDoesCanonicalize(lamps, input, canonical);
  }

  @Test
  void binaryFormIsTheBitField() throws InvalidValueException {
    assertEquals(0b11L, lamps.toBinary("Argon, Neon"));
    assertEquals(0L, lamps.toBinary("none"));
    assertEquals(Long.MIN_VALUE | 1, lamps.toBinary("top neon"));
    assertEquals(Long.class, lamps.binaryClass());
  }

  @Test
  void unknownLabelIsBadValueListingTheValidLabels() {
    assertEquals("unknown label 'Laser' (valid: Neon, Argon, Quartz Halogen, Top, none)",
        badValue(() -> lamps.canonicalize("neon, Laser")).reason());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"4 | bit 2 without a label", "20 | bits 2, 4 without a label",
      "18446744073709551615 | bits 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62 without a label"})
  void setBitsWithoutALabelAreBadValue(String input, String reason) {
    assertEquals(reason, badValue(() -> lamps.canonicalize(input)).reason());
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "  ", "neon,,argon", "neon,", ",neon", "18446744073709551616", "-9223372036854775809", "1.5", "neon 3"})
  void malformedMasksAreBadValue(String input) {
    badValue(() -> lamps.canonicalize(input));
  }

  @Test
  void binaryWritesAcceptIntegralNumbersAndText() throws InvalidValueException {
    assertEquals("Neon, Argon", lamps.fromBinary(3));
    assertEquals("none", lamps.fromBinary(0L));
    assertEquals("Top", lamps.fromBinary(BigInteger.ONE.shiftLeft(63)));
    assertEquals("Argon", lamps.fromBinary("ARGON"));
  }

  @Test
  void badBinaryIsBadValue() {
    assertEquals("bit 2 without a label", badValue(() -> lamps.fromBinary(4)).reason());
    badValue(() -> lamps.fromBinary(1.5));
    badValue(() -> lamps.fromBinary(BigInteger.ONE.shiftLeft(64)));
    badValue(() -> lamps.fromBinary(true));
    badValue(() -> lamps.fromBinary(null));
  }

  @Test
  void customNoneLabelNamesZero() throws InvalidValueException {
    KeywordType t = Types.of(KeywordDefinition.builder("LAMPS", KtlType.MASK).labels("Neon").noneLabel("Dark"));
    assertEquals("Dark", t.canonicalize("0"));
    assertEquals("Dark", t.canonicalize("dark"));
    assertEquals(0L, t.toBinary("DARK"));
    badValue(() -> t.canonicalize("none"));
    assertEquals("Dark", ((MaskType) t).noneLabel());
  }

  @Test
  void labelsAreExposedInBitOrder() {
    assertEquals(List.of("Neon", "Argon", "Quartz Halogen", "Top"), ((MaskType) lamps).labels());
  }

  @ParameterizedTest
  @CsvSource({"12, 12", "0, 0", "none, 0", "18446744073709551615, -1", "-1, -1", "' 010 ', 10",
      "9223372036854775808, -9223372036854775808"})
  void withoutEnumeratorsAny64BitValueIsAcceptedAsDecimal(String input, String canonical) {
    assertDoesCanonicalize(bare, input, canonical);
  }

  @Test
  void withoutEnumeratorsLabelsAreBadValue() {
    assertEquals("not a number (this mask has no bit labels)", badValue(() -> bare.canonicalize("neon")).reason());
  }

  @Test
  void withoutEnumeratorsBinaryIsAnyLong() throws InvalidValueException {
    assertEquals("-1", bare.fromBinary(new BigInteger("18446744073709551615")));
    assertEquals("5", bare.fromBinary(5));
  }
}
