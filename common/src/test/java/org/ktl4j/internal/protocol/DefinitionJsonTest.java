package org.ktl4j.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.type.KtlType;

class DefinitionJsonTest {
  @Test
  void fullDefinitionHasTheDocumentedShape() {
    KeywordDefinition d = KeywordDefinition.builder("AZ", KtlType.DOUBLE_ARRAY).units("deg").help("brief").longHelp("long")
        .range(0, 360).format("%.2f").elementLabels("x", "y", "z").initialValue("0.0 0.0 0.0").useCache(true).build();
    assertEquals("{\"name\":\"AZ\",\"type\":\"double array\",\"units\":\"deg\",\"help\":\"brief\",\"help_verbose\":\"long\","
        + "\"min\":0,\"max\":360,\"readonly\":false,\"format\":\"%.2f\",\"length\":3,\"elements\":[\"x\",\"y\",\"z\"],"
        + "\"initial\":\"0.0 0.0 0.0\",\"use_cache\":true,\"allow_nonfinite\":false,\"broadcasts\":true}",
        DefinitionJson.toJson(d));
  }

  @Test
  void enumeratorsAreAnObjectOfValueToLabel() {
    KeywordDefinition d = KeywordDefinition.builder("DOME", KtlType.ENUMERATED).labels("Open", "Closed").readonly(true).build();
    assertEquals("{\"name\":\"DOME\",\"type\":\"enumerated\",\"units\":\"\",\"help\":\"\",\"help_verbose\":\"\","
        + "\"enumerators\":{\"0\":\"Open\",\"1\":\"Closed\"},\"readonly\":true,\"use_cache\":false,"
        + "\"allow_nonfinite\":false,\"broadcasts\":true}", DefinitionJson.toJson(d));
  }

  @Test
  void maskNoneLabelIsWrittenOnlyForMasks() {
    assertTrue(DefinitionJson.toJson(KeywordDefinition.builder("M", KtlType.MASK).build()).contains("\"mask_none\":\"none\""));
    assertFalse(DefinitionJson.toJson(KeywordDefinition.builder("E", KtlType.ENUMERATED).build()).contains("mask_none"));
  }

  @Test
  void absentOptionalsAreOmitted() {
    String json = DefinitionJson.toJson(KeywordDefinition.builder("K", KtlType.DOUBLE).build());
    for (String field : List.of("min", "max", "format", "length", "initial", "enumerators", "elements", "mask_none")) {
      assertFalse(json.contains("\"" + field + "\""), field + " in " + json);
    }
  }

  @Test
  void int64BoundsAreWrittenExactly() {
    String json = DefinitionJson.toJson(KeywordDefinition.builder("T", KtlType.INT64).range(Long.MIN_VALUE, Long.MAX_VALUE).build());
    assertTrue(json.contains("\"min\":-9223372036854775808,\"max\":9223372036854775807"), json);
  }

  @Test
  void tinyAndHugeBoundsAreWrittenWithoutExponent() {
    KeywordDefinition d = KeywordDefinition.builder("K", KtlType.DOUBLE)
        .range(new BigDecimal("1E-7"), new BigDecimal("1E+20")).build();
    String json = DefinitionJson.toJson(d);
    assertTrue(json.contains("\"min\":0.0000001,\"max\":100000000000000000000"), json);
    assertEquals(0, d.minimum().get().compareTo(DefinitionJson.fromJson("K", json).minimum().orElseThrow()));
  }

  static Stream<KeywordDefinition> definitionsOfEveryType() {
    return Stream.of(
        KeywordDefinition.builder("B", KtlType.BOOLEAN).labels("Off", "On").initialValue("On").build(),
        KeywordDefinition.builder("B2", KtlType.BOOLEAN).build(),
        KeywordDefinition.builder("I", KtlType.INTEGER).units("counts").range(-5, 5).format("%d").build(),
        KeywordDefinition.builder("L", KtlType.INT64).range(Long.MIN_VALUE, Long.MAX_VALUE).build(),
        KeywordDefinition.builder("F", KtlType.FLOAT).range(0.001, 3600).help("Exposure time").build(),
        KeywordDefinition.builder("D", KtlType.DOUBLE).allowNonFinite(true).broadcasts(false).format("%.3f").build(),
        KeywordDefinition.builder("S", KtlType.STRING).help("\"quoted\" \\ and\nnewline ünïcødé 🚀").initialValue("").build(),
        KeywordDefinition.builder("E", KtlType.ENUMERATED).enumerator(0, "Open").enumerator(7, "Closed").readonly(true).build(),
        KeywordDefinition.builder("E2", KtlType.ENUMERATED).build(),
        KeywordDefinition.builder("M", KtlType.MASK).enumerator(0, "Neon").enumerator(63, "Top").noneLabel("dark").build(),
        KeywordDefinition.builder("M2", KtlType.MASK).build(),
        KeywordDefinition.builder("IA", KtlType.INTEGER_ARRAY).length(4).build(),
        KeywordDefinition.builder("LA", KtlType.INT64_ARRAY).build(),
        KeywordDefinition.builder("FA", KtlType.FLOAT_ARRAY).elementLabels("gain", "offset").useCache(true).build(),
        KeywordDefinition.builder("DA", KtlType.DOUBLE_ARRAY).range(new BigDecimal("-10.50"), 10).longHelp("long").build());
  }

  @ParameterizedTest
  @MethodSource("definitionsOfEveryType")
  void everyTypeRoundTripsThroughJson(KeywordDefinition d) {
    assertEquals(d, DefinitionJson.fromJson(d.name(), DefinitionJson.toJson(d)));
  }

  @Test
  void minimalJsonTakesTheDefaults() {
    KeywordDefinition d = DefinitionJson.fromJson("k", "{\"type\":\"integer\"}");
    assertEquals(KeywordDefinition.builder("K", KtlType.INTEGER).build(), d);
  }

  @Test
  void unknownFieldsAndNullsAreIgnored() {
    KeywordDefinition d = DefinitionJson.fromJson("AZ",
        "{\"type\":\"double\",\"units\":\"deg\",\"future\":{\"x\":[1,2]},\"min\":null,\"format\":null,\"sexagesimal\":true}");
    assertEquals("deg", d.units());
    assertEquals(Optional.empty(), d.minimum());
  }

  @Test
  void typeAliasesAreAccepted() {
    assertEquals(KtlType.STRING, DefinitionJson.fromJson("N", "{\"type\":\"basic\"}").type());
    assertEquals(KtlType.DOUBLE_ARRAY, DefinitionJson.fromJson("N", "{\"type\":\"double_array\"}").type());
  }

  @Test
  void boundsMayBeQuotedNumbers() {
    KeywordDefinition d = DefinitionJson.fromJson("T", "{\"type\":\"int64\",\"min\":\"-9223372036854775808\",\"length\":null}");
    assertEquals(new BigDecimal(Long.MIN_VALUE), d.minimum().orElseThrow());
  }

  @Test
  void lengthIsRead() {
    assertEquals(OptionalInt.of(3), DefinitionJson.fromJson("A", "{\"type\":\"double array\",\"length\":3}").length());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"units\":\"deg\"} | field 'type' is missing",
      "{\"type\":\"doubel\"} | unknown type 'doubel'",
      "{\"type\":42} | field 'type' must be a string",
      "{\"type\":\"double\",\"readonly\":\"yes\"} | field 'readonly' must be true or false",
      "{\"type\":\"double\",\"min\":\"zero\"} | field 'min' must be a number",
      "{\"type\":\"double\",\"max\":true} | field 'max' must be a number",
      "{\"type\":\"double array\",\"length\":2.5} | field 'length' is not an integer",
      "{\"type\":\"double array\",\"elements\":\"x y\"} | field 'elements' must be an array of strings",
      "{\"type\":\"enumerated\",\"enumerators\":[\"a\"]} | field 'enumerators' must be an object",
      "{\"type\":\"enumerated\",\"enumerators\":{\"x\":\"a\"}} | enumerator key 'x' is not an integer",
      "{\"type\":\"enumerated\",\"enumerators\":{\"0\":\"a\",\"1\":\"A\"}} | duplicate enumerator label 'A'",
      "{\"type\":\"enumerated\",\"enumerators\":{\"0\":\" \"}} | blank label",
      "{\"type\":\"double\",\"name\":\"EL\"} | definition is for keyword 'EL'",
      "{\"type\":\"double\",\"min\":5,\"max\":1} | minimum 5 is above maximum 1",
      "[1,2] | not a JSON object",
      "{\"type\":\"double\" | not valid JSON",
      "{\"type\":\"double\"} trailing | text after the JSON object",
      "{'type':'double'} | not valid JSON",
      "'' | not valid JSON",
  })
  void badDefinitionsAreRefusedNamingKeywordAndProblem(String json, String problem) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DefinitionJson.fromJson("AZ", json));
    assertTrue(e.getMessage().startsWith("keyword AZ: "), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
  }

  @Test
  void nullJsonIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> DefinitionJson.fromJson("AZ", null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"az", "AZ", "Az"})
  void storedNameMatchesIgnoringCase(String stored) {
    assertEquals("AZ", DefinitionJson.fromJson("AZ", "{\"name\":\"" + stored + "\",\"type\":\"double\"}").name());
  }
}
