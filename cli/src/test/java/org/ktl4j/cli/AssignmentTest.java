package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** How the words of {@code ktl modify} become assignments: KTL's spacing variants and dash-less flags. */
class AssignmentTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "AZ=120.5          | AZ | 120.5",
      "AZ= 120.5         | AZ | 120.5",
      "AZ =120.5         | AZ | 120.5",
      "AZ = 120.5        | AZ | 120.5",
      "EXPR=a=b          | EXPR | a=b",
  })
  void spacingVariantsGiveTheSameAssignment(String words, String keyword, String value) {
    Assignment.Parsed p = Assignment.parse(List.of(words.strip().split(" ")));

    assertThat(p.assignments()).containsExactly(new Assignment(keyword, value));
  }

  @Test
  void valueWithSpacesStaysOneValue() {
    assertThat(Assignment.parse(List.of("NAME=", "NGC 224", "AZ=1")).assignments())
        .containsExactly(new Assignment("NAME", "NGC 224"), new Assignment("AZ", "1"));
  }

  @Test
  void emptyValueBeforeAnotherAssignmentIsEmpty() {
    assertThat(Assignment.parse(List.of("NAME=", "OBJECT=m31")).assignments())
        .containsExactly(new Assignment("NAME", ""), new Assignment("OBJECT", "m31"));
  }

  @Test
  void dashlessFlagsAreRecognisedAmongAssignments() {
    Assignment.Parsed p = Assignment.parse(List.of("silent", "AZ=1", "NoWait"));

    assertThat(p.assignments()).containsExactly(new Assignment("AZ", "1"));
    assertThat(p.flags()).containsExactlyInAnyOrder("silent", "nowait");
  }

  @Test
  void aKeywordNamedLikeAFlagIsStillAnAssignment() {
    assertThat(Assignment.parse(List.of("silent", "=", "1")).assignments())
        .containsExactly(new Assignment("silent", "1"));
  }

  @Test
  void aWordThatIsNeitherIsRefused() {
    assertThatThrownBy(() -> Assignment.parse(List.of("AZ=1", "EL")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'EL' is not an assignment");
    assertThatThrownBy(() -> Assignment.parse(List.of("silent")))
        .hasMessageContaining("nothing to write");
  }

  @Test
  void aValueGoingOnInUnquotedWordsIsRefusedWithTheQuotedAssignmentMeant() {
    assertThatThrownBy(() -> Assignment.parse(List.of("ARR=-1", "2", "3", "AZ=1")))
        .hasMessage("'2' is not an assignment KEYWORD=value; if it belongs to the value of ARR, quote the whole "
            + "value: ARR='-1 2 3'");
  }

  @Test
  void aKeywordFollowedByItsValueWithoutEqualsSignIsRefusedWithTheAssignmentMeant() {
    assertThatThrownBy(() -> Assignment.parse(List.of("X", "5")))
        .hasMessage("'X' is not an assignment KEYWORD=value: did you mean X=5?");
    assertThatThrownBy(() -> Assignment.parse(List.of("X", "-1")))
        .hasMessageContaining("did you mean X=-1?").hasMessageContaining("use -- before values that start with '-'");
  }
}
