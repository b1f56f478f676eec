package org.ktl4j.type;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class KtlTypeTest {
  @ParameterizedTest
  @EnumSource(KtlType.class)
  void everyKtlNameReadsBackAsItsType(KtlType type) {
    assertEquals(Optional.of(type), KtlType.fromKtlName(type.ktlName()));
  }

  @ParameterizedTest
  @CsvSource({
      "basic, STRING",
      "BASIC, STRING",
      "int, INTEGER",
      "int32, INTEGER",
      "enum, ENUMERATED",
      "enumm, ENUMERATED",
      "bool, BOOLEAN",
      "long, INT64",
      "integerarray, INTEGER_ARRAY",
      "integer_array, INTEGER_ARRAY",
      "'  Integer   Array ', INTEGER_ARRAY",
      "int array, INTEGER_ARRAY",
      "double-array, DOUBLE_ARRAY",
      "'float\tarray', FLOAT_ARRAY",
      "INT64 ARRAY, INT64_ARRAY",
      "Double, DOUBLE",
  })
  void aliasesAndSpellingVariantsAreAccepted(String name, KtlType expected) {
    assertEquals(Optional.of(expected), KtlType.fromKtlName(name));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "doubel", "array", "string array", "integers"})
  void unknownNamesAreEmpty(String name) {
    assertEquals(Optional.empty(), KtlType.fromKtlName(name));
  }

  @ParameterizedTest
  @EnumSource(value = KtlType.class, names = ".*_ARRAY", mode = EnumSource.Mode.MATCH_ALL)
  void arrayTypesAreArraysAndNumeric(KtlType type) {
    assertTrue(type.isArray());
    assertTrue(type.isNumeric());
  }

  @ParameterizedTest
  @EnumSource(value = KtlType.class, names = {"BOOLEAN", "STRING", "ENUMERATED", "MASK"})
  void labelledAndTextTypesAreNeitherArraysNorNumeric(KtlType type) {
    assertFalse(type.isArray());
    assertFalse(type.isNumeric());
  }

  @ParameterizedTest
  @EnumSource(value = KtlType.class, names = {"INTEGER", "INT64", "FLOAT", "DOUBLE"})
  void scalarNumbersAreNumericButNotArrays(KtlType type) {
    assertFalse(type.isArray());
    assertTrue(type.isNumeric());
  }
}
