package org.ktl4j.type;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Objects;
import org.junit.jupiter.api.function.Executable;
import org.ktl4j.ErrorCode;
import org.ktl4j.definition.KeywordDefinition;

/** Shared test helpers: types of the service "telescope", and refusal assertions. */
final class Types {
  static final String SERVICE = "telescope";

  private Types() {}

  static KeywordType of(KeywordDefinition.Builder builder) {
    return KeywordType.of(SERVICE, builder.build());
  }

  static KeywordType of(String name, KtlType type) {
    return of(KeywordDefinition.builder(name, type));
  }

  /**
   * Asserts that {@code input} is accepted with this canonical form, which is a fixed point, denotes the
   * same binary value, and comes back from a binary write of that value.
   */
  static void assertDoesCanonicalize(KeywordType type, String input, String canonical) {
    try {
      assertEquals(canonical, type.canonicalize(input));
      assertEquals(canonical, type.canonicalize(canonical), "canonical form is a fixed point");
      Object binary = type.toBinary(input);
      assertTrue(Objects.deepEquals(type.toBinary(canonical), binary), "same binary value");
      assertEquals(canonical, type.fromBinary(binary), "ascii → binary → ascii");
    } catch (InvalidValueException e) {
      throw new AssertionError("refused: " + e.getMessage(), e);
    }
  }

  /** Asserts a refusal with this code; returns it for further checks. */
  static InvalidValueException refused(ErrorCode code, Executable write) {
    InvalidValueException e = assertThrows(InvalidValueException.class, write);
    assertEquals(code, e.code(), e::getMessage);
    return e;
  }

  static InvalidValueException badValue(Executable write) {
    return refused(ErrorCode.BAD_VALUE, write);
  }

  static InvalidValueException outOfRange(Executable write) {
    return refused(ErrorCode.OUT_OF_RANGE, write);
  }
}
