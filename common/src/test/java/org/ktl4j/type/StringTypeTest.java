package org.ktl4j.type;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ktl4j.type.Types.assertDoesCanonicalize;
import static org.ktl4j.type.Types.badValue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StringTypeTest {
  private final KeywordType text = Types.of("OBJECT", KtlType.STRING);

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "  padded  ", "M31", "Ωmega Centauri", "🚀 launch", "line\nbreak", "tab\there",
      "nul\u0000byte", "'quoted'", "1, 2, 3"})
  void anyTextIsStoredUnchanged(String value) {
    assertDoesCanonicalize(text, value, value);
  }

  @Test
  void oneMegabyteStringIsAcceptedAsIs() throws InvalidValueException {
    String big = "abc🚀".repeat(1 << 18);
    assertSame(big, text.canonicalize(big));
  }

  @Test
  void nullIsBadValue() {
    assertEquals("null value", badValue(() -> text.canonicalize(null)).reason());
  }

  @ParameterizedTest
  @ValueSource(strings = {"\uD800", "a\uDC00b", "end\uD83D", "\uDE80\uD83D"})
  void unpairedSurrogateIsBadValue(String value) {
    assertTrue(badValue(() -> text.canonicalize(value)).reason().startsWith("not valid Unicode"));
  }

  @Test
  void binaryFormIsTheSameString() throws InvalidValueException {
    assertEquals(" x ", text.toBinary(" x "));
    assertEquals("built", text.fromBinary(new StringBuilder("built")));
    assertEquals(String.class, text.binaryClass());
    assertEquals(KtlType.STRING, text.ktlType());
  }

  @Test
  void nonTextBinaryIsBadValue() {
    assertEquals("expected a String, got a Integer", badValue(() -> text.fromBinary(42)).reason());
    badValue(() -> text.fromBinary(null));
  }
}
