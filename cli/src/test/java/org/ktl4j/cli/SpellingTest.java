package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The "did you mean" of mistyped commands, options and keywords. */
class SpellingTest {
  private static final List<String> COMMANDS =
      List.of("dispatcher", "show", "modify", "monitor", "waitfor", "list", "acl", "demo");

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({"shwo, show", "SHOW2, show", "modfiy, modify", "mon, monitor", "waitfr, waitfor", "lst, list",
      "dispatch, dispatcher"})
  void aCloseMisspellingFindsTheNameMeant(String typed, String meant) {
    assertThat(Spelling.closest(typed, COMMANDS)).contains(meant);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"frobnicate", "x", "shell", "show"})
  void aWordFarFromEveryNameOrEqualToOneFindsNothing(String typed) {
    assertThat(Spelling.closest(typed, COMMANDS)).isEmpty();
  }

  @Test
  void theClosestNameWinsAndTheFirstOnATie() {
    assertThat(Spelling.closest("AZZ", List.of("AZ", "EL", "AZZA"))).contains("AZ");
    assertThat(Spelling.closest("--timeuot", List.of("--timeout", "--timestamp"))).contains("--timeout");
  }

  @Test
  void aOneLetterOptionGetsNoHintSinceEveryOtherIsOneEditAway() {
    assertThat(Spelling.closest("-x", List.of("-s", "-q", "--redis"))).isEmpty();
  }

  @Test
  void aTranspositionIsOneEdit() {
    assertThat(Spelling.distance("silnet", "silent")).isEqualTo(1);
    assertThat(Spelling.distance("abc", "abc")).isZero();
  }
}
