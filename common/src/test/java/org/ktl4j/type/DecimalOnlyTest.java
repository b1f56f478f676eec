package org.ktl4j.type;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ktl4j.type.Types.assertDoesCanonicalize;
import static org.ktl4j.type.Types.badValue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ktl4j.definition.KeywordDefinition;

/**
 * Numbers are decimal in every type that reads one (protocol §7): a radix prefix is refused with the
 * decimal to write instead, and leading zeros are decimal.
 */
class DecimalOnlyTest {
  private static KeywordType type(KtlType type) {
    return type == KtlType.ENUMERATED
        ? Types.of(KeywordDefinition.builder("K", type).enumerator(5, "Moving").enumerator(10, "Parked").enumerator(16, "Stowed"))
        : Types.of("K", type);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "INTEGER | 0x10 | hexadecimal is not accepted: write 16",
      "INTEGER | ' -0X1f ' | hexadecimal is not accepted: write -31",
      "INTEGER | +0x10 | hexadecimal is not accepted: write 16",
      "INTEGER | 0b101 | binary is not accepted: write 5",
      "INTEGER | 0o17 | octal is not accepted: write 15",
      "INTEGER | 0x | hexadecimal is not accepted (decimal only)",
      "INTEGER | 0x1g | hexadecimal is not accepted (decimal only)",
      "INTEGER | 0b102 | binary is not accepted (decimal only)",
      "INT64 | 0xffffffffffffffff | hexadecimal is not accepted: write 18446744073709551615",
      "FLOAT | 0x10 | hexadecimal is not accepted: write 16",
      "DOUBLE | 0x1p3 | hexadecimal is not accepted (decimal only)",
      "DOUBLE | -0x1.8 | hexadecimal is not accepted (decimal only)",
      "ENUMERATED | 0x10 | hexadecimal is not accepted: write 16",
      "MASK | 0x10 | hexadecimal is not accepted: write 16",
      "MASK | 0xffffffffffffffff | hexadecimal is not accepted: write 18446744073709551615",
      "INTEGER_ARRAY | 1 0x10 | element 1: hexadecimal is not accepted: write 16",
      "INT64_ARRAY | 0b1, 2 | element 0: binary is not accepted: write 1",
      "DOUBLE_ARRAY | 1.5 0x10 | element 1: hexadecimal is not accepted: write 16",
  })
  void radixPrefixIsBadValueNamingTheDecimal(KtlType type, String input, String reason) {
    assertEquals(reason, badValue(() -> type(type).canonicalize(input)).reason());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "INTEGER | 010 | 10", "INTEGER | -010 | -10", "INT64 | +0009223372036854775807 | 9223372036854775807",
      "FLOAT | 010 | 10.0", "DOUBLE | 00.50 | 0.5", "ENUMERATED | 010 | Parked", "ENUMERATED | 0016 | Stowed",
      "MASK | 010 | 10", "INTEGER_ARRAY | 010, 020 | 10 20", "FLOAT_ARRAY | 010 0.50 | 10.0 0.5",
  })
  void leadingZerosAreDecimal(KtlType type, String input, String canonical) {
    assertDoesCanonicalize(type(type), input, canonical);
  }

  @Test
  void anEnumeratorLabelThatLooksHexadecimalMeansItsOwnEnumerator() {
    assertDoesCanonicalize(Types.of(KeywordDefinition.builder("K", KtlType.ENUMERATED).enumerator(0, "Off").enumerator(7, "0x5")),
        "0X5", "0x5");
  }

  @Test
  void aMaskLabelThatLooksBinaryMeansItsOwnBit() {
    assertDoesCanonicalize(Types.of(KeywordDefinition.builder("K", KtlType.MASK).enumerator(0, "0b1").enumerator(1, "B")),
        "0b1, b", "0b1, B");
  }
}
