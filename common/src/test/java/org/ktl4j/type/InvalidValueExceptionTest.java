package org.ktl4j.type;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ktl4j.ErrorCode;

class InvalidValueExceptionTest {
  @Test
  void messageNamesServiceKeywordValueCodeAndReason() {
    InvalidValueException e = new InvalidValueException(ErrorCode.OUT_OF_RANGE, "telescope", "AZ", "400", "above maximum 360");
    assertEquals("telescope.AZ: value '400' refused (OUT_OF_RANGE): above maximum 360", e.getMessage());
    assertEquals("telescope", e.service());
    assertEquals("AZ", e.keyword());
    assertEquals("400", e.value());
    assertEquals("above maximum 360", e.reason());
    assertEquals(ErrorCode.OUT_OF_RANGE, e.code());
  }

  @Test
  void hugeValueIsTruncatedInMessageAndAccessor() {
    String huge = "x".repeat(10_000_000);
    InvalidValueException e = new InvalidValueException(ErrorCode.BAD_VALUE, "svc", "K", huge, "not a number");
    assertTrue(e.getMessage().length() < 200, e.getMessage());
    assertTrue(e.getMessage().contains("…(10000000 chars)"), e.getMessage());
    assertEquals(InvalidValueException.PREVIEW_CHARS + "…(10000000 chars)".length(), e.value().length());
  }

  @Test
  void truncationNeverSplitsASurrogatePair() {
    String value = "a".repeat(InvalidValueException.PREVIEW_CHARS - 1) + "🚀🚀";
    InvalidValueException e = new InvalidValueException(ErrorCode.BAD_VALUE, "svc", "K", value, "r");
    assertFalse(Character.isHighSurrogate(e.value().charAt(InvalidValueException.PREVIEW_CHARS - 2)));
    assertTrue(e.value().startsWith("a".repeat(InvalidValueException.PREVIEW_CHARS - 1) + "…"), e.value());
  }

  @Test
  void controlCharactersAreEscapedInTheMessage() {
    InvalidValueException e = new InvalidValueException(ErrorCode.BAD_VALUE, "svc", "K", "a\nb\tc\u0000d\\", "r");
    assertEquals("svc.K: value 'a\\nb\\tc\\u0000d\\\\' refused (BAD_VALUE): r", e.getMessage());
    assertEquals("a\nb\tc\u0000d\\", e.value());
  }

  @Test
  void nullValueIsShownAsNull() {
    InvalidValueException e = new InvalidValueException(ErrorCode.BAD_VALUE, "svc", "K", null, "null value");
    assertEquals("svc.K: value null refused (BAD_VALUE): null value", e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(value = ErrorCode.class, names = {"BAD_VALUE", "OUT_OF_RANGE"}, mode = EnumSource.Mode.EXCLUDE)
  void otherCodesAreNotValueRefusals(ErrorCode code) {
    assertThrows(IllegalArgumentException.class, () -> new InvalidValueException(code, "svc", "K", "v", "r"));
  }
}
