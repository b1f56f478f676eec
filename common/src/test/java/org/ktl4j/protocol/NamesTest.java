package org.ktl4j.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

  @ParameterizedTest
  @CsvSource({"telescope,telescope", "Telescope,telescope", "a,a", "kpf.guide-2,kpf.guide-2", "x_1,x_1"})
  void validServiceNamesAreStoredLowercase(String name, String stored) {
    assertThat(Names.service(name)).isEqualTo(stored);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1abc", "_x", "tele scope", "tele{scope}", "a:b", "ü", "-x"})
  void invalidServiceNamesAreRefusedWithTheRule(String name) {
    assertThatThrownBy(() -> Names.service(name)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("service name");
  }

  @ParameterizedTest
  @CsvSource({"az,AZ", "DISPCLK,DISPCLK", "Az_Target2,AZ_TARGET2"})
  void validKeywordNamesAreStoredUppercase(String name, String stored) {
    assertThat(Names.keyword(name)).isEqualTo(stored);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "2AZ", "A.B", "A-B", "A B", "A{B}"})
  void invalidKeywordNamesAreRefusedWithTheRule(String name) {
    assertThatThrownBy(() -> Names.keyword(name)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keyword name").hasMessageContaining("[A-Z][A-Z0-9_]{0,63}");
  }

  @ParameterizedTest
  @ValueSource(ints = {64, 65})
  void namesAreAtMostSixtyFourCharacters(int length) {
    String name = "a".repeat(length);
    if (length <= 64) {
      assertThat(Names.service(name)).hasSize(length);
      assertThat(Names.keyword(name)).hasSize(length);
    } else {
      assertThatThrownBy(() -> Names.service(name)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> Names.keyword(name)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @org.junit.jupiter.api.Test
  void keysCarryTheServiceHashTag() {
    Keys k = Keys.of("Telescope");
    assertThat(k.keyword("AZ")).isEqualTo("ktl:{telescope}:kw:AZ");
    assertThat(k.definitions()).isEqualTo("ktl:{telescope}:keywords");
    assertThat(k.lease()).isEqualTo("ktl:{telescope}:dispatcher");
    assertThat(k.modifyChannel()).isEqualTo("ktl:{telescope}:modify");
    assertThat(k.replyChannel("me-0123456789abcdef")).isEqualTo("ktl:{telescope}:reply:me-0123456789abcdef");
    assertThat(k.keyspaceChannel(0, "AZ")).isEqualTo("__keyspace@0__:ktl:{telescope}:kw:AZ");
    assertThat(k.keyspacePattern(3)).isEqualTo("__keyspace@3__:ktl:{telescope}:kw:*");
    assertThat(k.keywordOfChannel("__keyspace@0__:ktl:{telescope}:kw:AZ")).isEqualTo("AZ");
    assertThat(k.keywordOfChannel("__keyspace@0__:ktl:{dome}:kw:AZ")).isNull();
  }
}
