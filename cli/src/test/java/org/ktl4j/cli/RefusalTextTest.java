package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ktl4j.ErrorCode;
import org.ktl4j.RefusedException;
import org.ktl4j.type.KtlType;

/** A refusal on the command line: its code once, array elements as ordinals. */
class RefusalTextTest {

  @Test
  void theCodeLeadsTheMessageOnce() {
    RefusedException r = new RefusedException(ErrorCode.OUT_OF_RANGE,
        "telescope.AZ: value '400' refused (OUT_OF_RANGE): above maximum 360", "above maximum 360");

    assertThat(RefusalText.of(r, KtlType.DOUBLE))
        .isEqualTo("OUT_OF_RANGE: telescope.AZ: value '400' refused: above maximum 360");
  }

  @Test
  void aMessageThatAlreadyLeadsWithItsCodeGetsItOnce() {
    RefusedException r = new RefusedException(ErrorCode.BAD_VALUE,
        "BAD_VALUE: telescope.AZ: value 'x' refused (BAD_VALUE): not a number", "not a number");

    assertThat(RefusalText.of(r, KtlType.DOUBLE)).isEqualTo("BAD_VALUE: telescope.AZ: value 'x' refused: not a number");
  }

  @Test
  void aDispatcherRefusalKeepsItsOwnWording() {
    RefusedException r = new RefusedException(ErrorCode.REJECTED,
        "telescope.EL: value '5.0' rejected: below the horizon limit", "below the horizon limit");

    assertThat(RefusalText.of(r, KtlType.DOUBLE))
        .isEqualTo("REJECTED: telescope.EL: value '5.0' rejected: below the horizon limit");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "element 0: not an integer                 | element 0 (the first): not an integer",
      "element 1 (Y): not a number               | element 1 (Y, the second): not a number",
      "element 2 is empty (trailing comma)       | element 2 (the third) is empty (trailing comma)",
      "element 11: above maximum 5               | element 11 (the 12th): above maximum 5",
      "expected 3 elements, got 2                | expected 3 elements, got 2",
  })
  void arrayElementsAreAlsoGivenAsOrdinals(String reason, String shown) {
    RefusedException r = new RefusedException(ErrorCode.BAD_VALUE,
        "svc.ARR: value 'v' refused (BAD_VALUE): " + reason, reason);

    assertThat(RefusalText.of(r, KtlType.INTEGER_ARRAY)).isEqualTo("BAD_VALUE: svc.ARR: value 'v' refused: " + shown);
    assertThat(RefusalText.of(r, KtlType.STRING)).as("not an array: left alone")
        .isEqualTo("BAD_VALUE: svc.ARR: value 'v' refused: " + reason);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({"1, first", "10, tenth", "11, 11th", "12, 12th", "13, 13th", "21, 21st", "22, 22nd", "23, 23rd",
      "101, 101st", "111, 111th", "112, 112th"})
  void ordinalsAreEnglish(int n, String ordinal) {
    assertThat(RefusalText.ordinal(n)).isEqualTo(ordinal);
  }
}
