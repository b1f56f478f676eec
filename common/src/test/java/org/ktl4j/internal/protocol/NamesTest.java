package org.ktl4j.internal.protocol;

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

  /** Names Unicode case rules would map to ASCII (or that look ASCII): refused, never normalised. */
  @ParameterizedTest
  @ValueSource(strings = {
      "\uFB01lter",          // ﬁlter: the fi ligature upper-cases to FI
      "stra\u00DFe",         // straße: ß upper-cases to SS
      "\u0131",              // ı, dotless i: upper-cases to I
      "\u0130",              // İ, dotted capital I: lower-cases to i + combining dot
      "da\u0131ly",          // a dotless i inside
      "\u212Aelvin",         // Kelvin sign: lower-cases to k
      "\u017Fensor",         // ſ, long s: upper-cases to S
      "\uFF21\uFF3A",       // ＡＺ, fullwidth
      "\u0410\u0417",       // АЗ, Cyrillic look-alikes of AZ
      "t\u0435lescope",      // Cyrillic e inside
  })
  void nonAsciiNamesAreRefusedNotCaseMapped(String name) {
    assertThatThrownBy(() -> Names.keyword(name)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid keyword name '" + name + "'").hasMessageContaining("ASCII only");
    assertThatThrownBy(() -> Names.service(name)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid service name '" + name + "'").hasMessageContaining("ASCII only");
  }

  @ParameterizedTest
  @CsvSource({"tElEsCoPe_2,telescope_2,TELESCOPE_2", "Az,az,AZ", "zA9,za9,ZA9"})
  void mixedCaseAsciiNamesStillWork(String name, String service, String keyword) {
    assertThat(Names.service(name)).isEqualTo(service);
    assertThat(Names.keyword(name)).isEqualTo(keyword);
  }

  @org.junit.jupiter.api.Test
  void asciiCaseMappingLeavesEveryOtherCharacterAlone() {
    assertThat(Names.toUpperAscii("az_\uFB01\u00DF\u0131\u00E9")).isEqualTo("AZ_\uFB01\u00DF\u0131\u00E9");
    assertThat(Names.toLowerAscii("AZ_\u212A\u0130\u00C9")).isEqualTo("az_\u212A\u0130\u00C9");
    assertThat(Names.toLowerAscii("plain")).isSameAs("plain");
  }

  @org.junit.jupiter.api.Test
  void refusalNamesTheBadNameEscaped() {
    assertThatThrownBy(() -> Names.keyword("A\u001b[2J\u202e"))
        .hasMessage("invalid keyword name 'A\\x1b[2J\\u202e': must match [A-Z][A-Z0-9_]{0,63}, ASCII only, any case");
  }

  @org.junit.jupiter.api.Test
  void printableEscapesC0C1DelAndBidiControls() {
    assertThat(Names.printable("a\u001b[2Jb")).isEqualTo("a\\x1b[2Jb");
    assertThat(Names.printable("a\tb\nc\r")).isEqualTo("a\\x09b\\x0ac\\x0d");
    assertThat(Names.printable("\u007f\u0080\u009b\u009f")).isEqualTo("\\x7f\\x80\\x9b\\x9f");
    assertThat(Names.printable("\u202a\u202e\u2066\u2069")).isEqualTo("\\u202a\\u202e\\u2066\\u2069");
    assertThat(Names.printable("back\\slash \u00e9\u00a0\u2029")).isEqualTo("back\\slash \u00e9\u00a0\\u2029"); // a separator: escaped
  }

  @org.junit.jupiter.api.Test
  void printableShortensLongTextWithoutSplittingASurrogatePair() {
    String text = "a".repeat(79) + "\uD83D\uDE00" + "b";
    assertThat(Names.printable(text)).isEqualTo("a".repeat(79) + "…(82 chars)");
    assertThat(Names.printable("x".repeat(81))).isEqualTo("x".repeat(80) + "…(81 chars)");
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
