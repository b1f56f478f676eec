package org.ktl4j.type;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ktl4j.type.Types.badValue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.ktl4j.definition.KeywordDefinition;

/** The contract every type keeps; the per-type tests check the details. */
class KeywordTypeTest {
  @ParameterizedTest
  @EnumSource(KtlType.class)
  void ofMakesTheFamilyOfTheType(KtlType type) {
    KeywordDefinition d = KeywordDefinition.builder("K", type).build();
    KeywordType t = KeywordType.of("svc", d);
    Class<?> family = switch (type) {
      case BOOLEAN -> BooleanType.class;
      case INTEGER, INT64 -> IntegerType.class;
      case FLOAT, DOUBLE -> FloatingType.class;
      case STRING -> StringType.class;
      case ENUMERATED -> EnumeratedType.class;
      case MASK -> MaskType.class;
      default -> NumericArrayType.class;
    };
    assertInstanceOf(family, t);
    assertEquals(type, t.ktlType());
    assertSame(d, t.definition());
  }

  static Stream<Arguments> validValues() {
    return Stream.of(
        Arguments.of(KtlType.BOOLEAN, " on "),
        Arguments.of(KtlType.INTEGER, "-17"),
        Arguments.of(KtlType.INT64, "9223372036854775807"),
        Arguments.of(KtlType.FLOAT, "2.5e-3"),
        Arguments.of(KtlType.DOUBLE, " 359.99 "),
        Arguments.of(KtlType.STRING, " any text "),
        Arguments.of(KtlType.ENUMERATED, "7"),
        Arguments.of(KtlType.MASK, "17"),
        Arguments.of(KtlType.INTEGER_ARRAY, "1, 2, 3"),
        Arguments.of(KtlType.INT64_ARRAY, "-9223372036854775808 0"),
        Arguments.of(KtlType.FLOAT_ARRAY, "0.1 0.2"),
        Arguments.of(KtlType.DOUBLE_ARRAY, "1e300\t-1e-300"));
  }

  @ParameterizedTest
  @MethodSource("validValues")
  void canonicalFormIsAFixedPointAndRoundTripsThroughBinary(KtlType type, String ascii) throws InvalidValueException {
    KeywordType t = Types.of("K", type);
    String canonical = t.canonicalize(ascii);
    assertEquals(canonical, t.canonicalize(canonical));
    Object binary = t.toBinary(ascii);
    assertInstanceOf(t.binaryClass(), binary);
    assertEquals(canonical, t.fromBinary(binary));
    assertEquals(canonical, t.fromBinary(t.toBinary(canonical)));
  }

  @ParameterizedTest
  @EnumSource(value = KtlType.class, names = "STRING", mode = EnumSource.Mode.EXCLUDE)
  void emptyAndBlankValuesAreBadValueForEveryNonStringType(KtlType type) {
    KeywordType t = Types.of("K", type);
    assertEquals("empty value", badValue(() -> t.canonicalize("")).reason());
    assertEquals("empty value", badValue(() -> t.canonicalize(" \t\n ")).reason());
    assertEquals("empty value", badValue(() -> t.toBinary("  ")).reason());
  }

  @ParameterizedTest
  @EnumSource(KtlType.class)
  void nullIsBadValueForEveryType(KtlType type) {
    KeywordType t = Types.of("K", type);
    badValue(() -> t.canonicalize(null));
    badValue(() -> t.toBinary(null));
    badValue(() -> t.fromBinary(null));
  }

  @ParameterizedTest
  @EnumSource(KtlType.class)
  void refusalsNameServiceAndKeyword(KtlType type) {
    KeywordType t = KeywordType.of("telescope", KeywordDefinition.builder("az", type).build());
    InvalidValueException e = badValue(() -> t.canonicalize(null));
    assertEquals("telescope", e.service());
    assertEquals("AZ", e.keyword());
    assertTrue(e.getMessage().startsWith("telescope.AZ: value null refused (BAD_VALUE): "), e.getMessage());
  }
}
