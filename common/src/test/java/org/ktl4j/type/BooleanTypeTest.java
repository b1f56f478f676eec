package org.ktl4j.type;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ktl4j.type.Types.assertDoesCanonicalize;
import static org.ktl4j.type.Types.badValue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.ktl4j.definition.KeywordDefinition;

class BooleanTypeTest {
  private final KeywordType plain = Types.of("TRACKING", KtlType.BOOLEAN);
  private final KeywordType labelled = Types.of(KeywordDefinition.builder("LAMP", KtlType.BOOLEAN).labels("Out", "In"));

  @ParameterizedTest
  @CsvSource({
      "true, true", "TRUE, true", "'  True  ', true", "1, true", "t, true", "T, true", "yes, true", "YES, true",
      "on, true", "On, true",
      "false, false", "FALSE, false", "0, false", "f, false", "no, false", "off, false", "' Off\t', false",
  })
  void aliasesAreCanonicalizedToTheDefaultLabels(String input, String canonical) {
    assertDoesCanonicalize(plain, input, canonical);
  }

  @ParameterizedTest
  @CsvSource({"in, In", "IN, In", "out, Out", "1, In", "yes, In", "0, Out", "off, Out"})
  void definedLabelsAndAliasesAreCanonicalizedToTheDefinedLabels(String input, String canonical) {
    assertDoesCanonicalize(labelled, input, canonical);
  }

  @Test
  void labelsWinOverAliasesForInvertedLegacyKeywords() throws InvalidValueException {
    KeywordType inverted = Types.of(KeywordDefinition.builder("SHUTTER", KtlType.BOOLEAN).labels("on", "off"));
    assertEquals(false, inverted.toBinary("on"));
    assertEquals(true, inverted.toBinary("OFF"));
    assertEquals(true, inverted.toBinary("1"));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "   ", "maybe", "2", "-1", "tru", "y", "n", "1.0", "on off"})
  void anythingElseIsBadValue(String input) {
    InvalidValueException e = badValue(() -> plain.canonicalize(input));
    assertTrue(e.getMessage().startsWith("telescope.TRACKING: value "), e.getMessage());
  }

  @Test
  void refusalNamesEachAcceptedFormOnceWithWhatItMeans() {
    assertEquals("not a boolean: use Out or In (or 0, false, f, no, off for Out; 1, true, t, yes, on for In)",
        badValue(() -> labelled.canonicalize("maybe")).reason());
    assertEquals("not a boolean: use false or true (or 0, f, no, off for false; 1, t, yes, on for true)",
        badValue(() -> plain.canonicalize("maybe")).reason());
  }

  @Test
  void refusalOfAnInvertedKeywordLeavesOutTheAliasesItsLabelsShadow() {
    KeywordType inverted = Types.of(KeywordDefinition.builder("SHUTTER", KtlType.BOOLEAN).labels("on", "off"));
    assertEquals("not a boolean: use on or off (or 0, false, f, no for on; 1, true, t, yes for off)",
        badValue(() -> inverted.canonicalize("maybe")).reason());
  }

  @Test
  void emptyValueSaysSo() {
    assertEquals("empty value", badValue(() -> plain.canonicalize(" ")).reason());
  }

  @Test
  void binaryFormIsBoolean() throws InvalidValueException {
    assertEquals(Boolean.TRUE, plain.toBinary(" yes "));
    assertEquals(Boolean.FALSE, labelled.toBinary("Out"));
    assertEquals(Boolean.class, plain.binaryClass());
  }

  @ParameterizedTest
  @CsvSource({"true, In", "false, Out"})
  void booleanBinaryWritesGiveTheLabel(boolean value, String label) throws InvalidValueException {
    assertEquals(label, labelled.fromBinary(value));
  }

  @Test
  void zeroAndOneNumbersAreBinaryBooleans() throws InvalidValueException {
    assertEquals("true", plain.fromBinary(1));
    assertEquals("false", plain.fromBinary(0L));
    assertEquals("true", plain.fromBinary(1.0));
  }

  @Test
  void otherBinaryValuesAreBadValue() {
    badValue(() -> plain.fromBinary(2));
    badValue(() -> plain.fromBinary(0.5));
    badValue(() -> plain.fromBinary("true"));
    badValue(() -> plain.fromBinary(null));
  }

  @Test
  void labelsAreExposed() {
    BooleanType type = (BooleanType) labelled;
    assertEquals("Out", type.falseLabel());
    assertEquals("In", type.trueLabel());
  }
}
