package org.ktl4j.type;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ktl4j.type.Types.assertDoesCanonicalize;
import static org.ktl4j.type.Types.badValue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** White space in ascii values is ASCII white space only (protocol section 7), in every type that trims or splits. */
class AsciiSpaceTest {

  @ParameterizedTest
  @ValueSource(strings = {" 5 ", "\t5\n", "\r5\f", "\u000b5"})
  void asciiWhiteSpaceAroundANumberIsIgnored(String input) {
    assertDoesCanonicalize(Types.of("K", KtlType.INTEGER), input, "5");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\u30005", "5\u2028", "\u001c5", "\u00a05", "5\u2003"})
  void otherUnicodeSpaceIsNotWhiteSpace(String input) {
    assertThat(badValue(() -> Types.of("K", KtlType.INTEGER).canonicalize(input)).code()).isNotNull();
  }

  @ParameterizedTest
  @EnumSource(value = KtlType.class, names = {"INTEGER_ARRAY", "DOUBLE_ARRAY"})
  void arrayElementsAreSeparatedByAsciiWhiteSpaceOnly(KtlType type) {
    assertDoesCanonicalize(Types.of("K", type), "1\t2\n3", type == KtlType.INTEGER_ARRAY ? "1 2 3" : "1.0 2.0 3.0");
    assertThat(badValue(() -> Types.of("K", type).canonicalize("1\u30002")).reason()).contains("element 0");
  }
}
