package org.ktl4j.type;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ktl4j.type.Types.assertDoesCanonicalize;
import static org.ktl4j.type.Types.badValue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.ktl4j.definition.KeywordDefinition;

class EnumeratedTypeTest {
  private final KeywordType dome = Types.of(KeywordDefinition.builder("DOME", KtlType.ENUMERATED)
      .enumerator(5, "Moving").enumerator(0, "Open").enumerator(1, "Closed"));
  private final KeywordType bare = Types.of("MODE", KtlType.ENUMERATED);

  @ParameterizedTest
  @CsvSource({"Open, Open", "open, Open", "'  CLOSED ', Closed", "moving, Moving", "0, Open", "1, Closed", "5, Moving",
      "+5, Moving", "05, Moving"})
  void labelsAndNumbersAreCanonicalizedToTheLabel(String input, String canonical) {
    assertDoesCanonicalize(dome, input, canonical);
  }

  @Test
  void binaryFormIsTheNumber() throws InvalidValueException {
    assertEquals(5, dome.toBinary("moving"));
    assertEquals(0, dome.toBinary(" 0 "));
    assertEquals(Integer.class, dome.binaryClass());
  }

  @Test
  void unknownLabelIsBadValueListingTheValidLabels() {
    InvalidValueException e = badValue(() -> dome.canonicalize("Ajar"));
    assertEquals("unknown label (valid: Open, Closed, Moving)", e.reason());
    assertEquals("telescope.DOME: value 'Ajar' refused (BAD_VALUE): unknown label (valid: Open, Closed, Moving)", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"2", "-1", "4", "99999999999999999999"})
  void numberWithoutAnEnumeratorIsBadValue(String input) {
    assertTrue(badValue(() -> dome.canonicalize(input)).reason().startsWith("no enumerator has value"));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "  ", "Open Closed", "Open,", "1.0"})
  void otherInputIsBadValue(String input) {
    badValue(() -> dome.canonicalize(input));
  }

  @Test
  void labelThatLooksLikeANumberMeansItsOwnEnumerator() throws InvalidValueException {
    KeywordType t = Types.of(KeywordDefinition.builder("GEAR", KtlType.ENUMERATED).enumerator(3, "7").enumerator(7, "top"));
    assertEquals(3, t.toBinary("7"));
    assertEquals("top", t.fromBinary(7));
  }

  @Test
  void longListsOfLabelsAreAbbreviatedInRefusals() {
    KeywordDefinition.Builder b = KeywordDefinition.builder("FILTER", KtlType.ENUMERATED);
    for (int i = 0; i < 100; i++) {
      b.enumerator(i, "F" + i);
    }
    KeywordType t = Types.of(b);
    String reason = badValue(() -> t.canonicalize("nope")).reason();
    assertTrue(reason.endsWith("F19, …(80 more))"), reason);
  }

  @Test
  void binaryWritesAcceptNumbersAndLabels() throws InvalidValueException {
    assertEquals("Moving", dome.fromBinary(5));
    assertEquals("Closed", dome.fromBinary(1L));
    assertEquals("Closed", dome.fromBinary(1.0));
    assertEquals("Open", dome.fromBinary("open"));
  }

  @Test
  void badBinaryIsBadValue() {
    assertTrue(badValue(() -> dome.fromBinary(2)).reason().startsWith("no enumerator has value 2"));
    badValue(() -> dome.fromBinary(1.5));
    badValue(() -> dome.fromBinary(true));
    badValue(() -> dome.fromBinary(null));
    badValue(() -> dome.fromBinary(1L << 40));
  }

  @Test
  void labelsAreExposedInValueOrder() {
    assertEquals(List.of("Open", "Closed", "Moving"), ((EnumeratedType) dome).labels());
  }

  @ParameterizedTest
  @CsvSource({"42, 42", "' -3 ', -3", "010, 10", "2147483647, 2147483647"})
  void withoutEnumeratorsAnyIntegerIsAccepted(String input, String canonical) {
    assertDoesCanonicalize(bare, input, canonical);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Open", "3.5", "2147483648", ""})
  void withoutEnumeratorsNonIntegersAreBadValue(String input) {
    badValue(() -> bare.canonicalize(input));
  }

  @Test
  void withoutEnumeratorsBinaryIsTheNumber() throws InvalidValueException {
    assertEquals(42, bare.toBinary("42"));
    assertEquals("42", bare.fromBinary(42));
  }
}
