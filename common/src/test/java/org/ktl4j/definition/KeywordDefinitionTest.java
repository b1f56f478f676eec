package org.ktl4j.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.ktl4j.type.KtlType;

class KeywordDefinitionTest {
  @Test
  void builderDefaultsAreEmptyWritableBroadcastAndUncached() {
    KeywordDefinition d = KeywordDefinition.builder("az", KtlType.DOUBLE).build();
    assertEquals("AZ", d.name());
    assertEquals("", d.units());
    assertEquals("", d.help());
    assertEquals("", d.longHelp());
    assertEquals(Optional.empty(), d.minimum());
    assertEquals(List.of(), d.enumerators());
    assertEquals("none", d.noneLabel());
    assertFalse(d.readonly());
    assertEquals(Optional.empty(), d.format());
    assertEquals(OptionalInt.empty(), d.length());
    assertEquals(Optional.empty(), d.initialValue());
    assertFalse(d.useCache());
    assertFalse(d.allowNonFinite());
    assertTrue(d.broadcasts());
  }

  @Test
  void nullsBecomeEmpty() {
    KeywordDefinition d = new KeywordDefinition("K", KtlType.MASK, null, null, null, null, null, null, null, false,
        null, null, null, null, false, false, true);
    assertEquals("", d.units());
    assertEquals("none", d.noneLabel());
    assertEquals(List.of(), d.enumerators());
    assertEquals(Optional.empty(), d.format());
    assertEquals(OptionalInt.empty(), d.length());
    assertEquals(List.of(), d.elementLabels());
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "az", "Disp1Sta", "A_1", "Z234567890123456789012345678901234567890123456789012345678901234"})
  void validNamesAreUpperCased(String name) {
    assertEquals(name.toUpperCase(), KeywordDefinition.builder(name, KtlType.STRING).build().name());
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"1AZ", "_AZ", "A-B", "A B", "AZ.1", "Ä",
      "\uFB01LTER", "STRA\u00DFE", "D\u0131SP", "\u212AELVIN", "\uFF21Z", // some upper-case to ASCII in Unicode
      "A2345678901234567890123456789012345678901234567890123456789012345"})
  void invalidNamesAreRefused(String name) {
    assertThrows(IllegalArgumentException.class, () -> KeywordDefinition.builder(name, KtlType.STRING).build());
  }

  @Test
  void missingTypeIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> KeywordDefinition.builder("K", null).build());
  }

  @Test
  void duplicateLabelsIgnoringCaseAreRefusedNamingTheKeyword() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KeywordDefinition.builder("dome", KtlType.ENUMERATED).labels("Open", "OPEN").build());
    assertTrue(e.getMessage().startsWith("keyword DOME: duplicate enumerator label 'OPEN'"), e.getMessage());
  }

  @Test
  void duplicateValuesAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KeywordDefinition.builder("DOME", KtlType.ENUMERATED).enumerator(1, "Open").enumerator(1, "Closed").build());
    assertEquals("keyword DOME: duplicate enumerator value 1", e.getMessage());
  }

  @Test
  void maskLabelEqualToTheNoneLabelIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> KeywordDefinition.builder("M", KtlType.MASK).enumerator(0, "None").build());
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, 64, 1000})
  void maskBitNumbersOutside0To63AreRefused(long bit) {
    assertThrows(IllegalArgumentException.class, () -> KeywordDefinition.builder("M", KtlType.MASK).enumerator(bit, "B").build());
  }

  @Test
  void maskLabelWithACommaIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> KeywordDefinition.builder("M", KtlType.MASK).enumerator(0, "a,b").build());
    assertThrows(IllegalArgumentException.class, () -> KeywordDefinition.builder("M", KtlType.MASK).noneLabel("x,y").build());
  }

  @Test
  void booleanEnumeratorsAreZeroAndOne() {
    assertThrows(IllegalArgumentException.class, () -> KeywordDefinition.builder("B", KtlType.BOOLEAN).enumerator(2, "maybe").build());
  }

  @Test
  void enumeratedValuesFit32Bits() {
    assertThrows(IllegalArgumentException.class,
        () -> KeywordDefinition.builder("E", KtlType.ENUMERATED).enumerator(1L << 40, "big").build());
  }

  @ParameterizedTest
  @EnumSource(value = KtlType.class, names = {"BOOLEAN", "ENUMERATED", "MASK"}, mode = EnumSource.Mode.EXCLUDE)
  void enumeratorsOnlyBelongToLabelledTypes(KtlType type) {
    assertThrows(IllegalArgumentException.class, () -> KeywordDefinition.builder("K", type).labels("a").build());
  }

  @Test
  void enumeratorsAreSortedByValue() {
    KeywordDefinition d = KeywordDefinition.builder("E", KtlType.ENUMERATED).enumerator(5, "c").enumerator(0, "a").build();
    assertEquals(List.of(new Enumerator(0, "a"), new Enumerator(5, "c")), d.enumerators());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", " padded", "padded "})
  void blankOrPaddedLabelsAreRefused(String label) {
    assertThrows(IllegalArgumentException.class, () -> new Enumerator(0, label));
  }

  @Test
  void minimumAboveMaximumIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KeywordDefinition.builder("AZ", KtlType.DOUBLE).range(360, 0).build());
    assertEquals("keyword AZ: minimum 360 is above maximum 0", e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(value = KtlType.class, names = {"BOOLEAN", "STRING", "ENUMERATED", "MASK"})
  void rangeOnlyBelongsToNumericTypes(KtlType type) {
    assertThrows(IllegalArgumentException.class, () -> KeywordDefinition.builder("K", type).minimum(0).build());
  }

  @Test
  void rangeNumbersAreExactDecimals() {
    KeywordDefinition d = KeywordDefinition.builder("K", KtlType.INT64).range(Long.MIN_VALUE, 0.1).build();
    assertEquals(new BigDecimal("-9223372036854775808"), d.minimum().orElseThrow());
    assertEquals(new BigDecimal("0.1"), d.maximum().orElseThrow());
    assertEquals(new BigDecimal("0.1"), KeywordDefinition.builder("K", KtlType.FLOAT).minimum(0.1f).build().minimum().orElseThrow());
  }

  @Test
  void nonFiniteRangeIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> KeywordDefinition.builder("K", KtlType.DOUBLE).maximum(Double.NaN));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1})
  void lengthBelowOneIsRefused(int length) {
    assertThrows(IllegalArgumentException.class, () -> KeywordDefinition.builder("A", KtlType.DOUBLE_ARRAY).length(length).build());
  }

  @Test
  void lengthAndElementLabelsOnlyBelongToArrays() {
    assertThrows(IllegalArgumentException.class, () -> KeywordDefinition.builder("A", KtlType.DOUBLE).length(3).build());
    assertThrows(IllegalArgumentException.class, () -> KeywordDefinition.builder("A", KtlType.DOUBLE).elementLabels("x").build());
  }

  @Test
  void elementLabelsWithoutALengthSetTheLength() {
    assertEquals(OptionalInt.of(3), KeywordDefinition.builder("A", KtlType.DOUBLE_ARRAY).elementLabels("x", "y", "z").build().length());
  }

  @Test
  void elementLabelsMustMatchTheLength() {
    assertThrows(IllegalArgumentException.class,
        () -> KeywordDefinition.builder("A", KtlType.DOUBLE_ARRAY).length(2).elementLabels("x", "y", "z").build());
  }

  @Test
  void duplicateElementLabelsAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> KeywordDefinition.builder("A", KtlType.DOUBLE_ARRAY).elementLabels("x", "x").build());
  }

  @Test
  void blankFormatIsNoFormat() {
    assertEquals(Optional.empty(), KeywordDefinition.builder("A", KtlType.DOUBLE).format(" ").build().format());
  }

  @Test
  void toBuilderCopiesEverything() {
    KeywordDefinition d = KeywordDefinition.builder("P", KtlType.FLOAT_ARRAY).units("arcsec").help("h").longHelp("lh")
        .range(-1, 1).readonly(true).format("%.1f").elementLabels("x", "y").initialValue("0 0").useCache(true)
        .allowNonFinite(true).broadcasts(false).build();
    assertEquals(d, d.toBuilder().build());
    KeywordDefinition mask = KeywordDefinition.builder("M", KtlType.MASK).labels("a", "b").noneLabel("off").build();
    assertEquals(mask, mask.toBuilder().build());
  }

  @Test
  void definitionsAreValues() {
    KeywordDefinition a = KeywordDefinition.builder("E", KtlType.ENUMERATED).labels("Open", "Closed").build();
    KeywordDefinition b = KeywordDefinition.builder("e", KtlType.ENUMERATED).enumerator(1, "Closed").enumerator(0, "Open").build();
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
  }

  @Test
  void enumeratorListIsImmutable() {
    KeywordDefinition d = KeywordDefinition.builder("E", KtlType.ENUMERATED).labels("a").build();
    assertThrows(UnsupportedOperationException.class, () -> d.enumerators().add(new Enumerator(1, "b")));
  }
}
