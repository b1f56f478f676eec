package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ktl4j.internal.protocol.Names;

/** How text from Redis is escaped for the terminal, and that {@code --raw} leaves it alone. */
class TerminalTextTest {

  @Test
  void terminalTakeoverSequencesAreEscaped() {
    assertThat(TerminalText.escape("\u001b[2J")).isEqualTo("\\x1b[2J");
    assertThat(TerminalText.escape("\u001b]52;c;aGk=\u0007")).isEqualTo("\\x1b]52;c;aGk=\\x07");
    assertThat(TerminalText.escape("\u009b31m")).isEqualTo("\\x9b31m");
    assertThat(TerminalText.escape("abc\u202edef")).isEqualTo("abc\\u202edef");
  }

  @Test
  void tabNewlineAndEveryOtherC0ControlAndDelAreEscapedAsHex() {
    assertThat(TerminalText.escape("a\tb\nc\rd\u0000e\u007f")).isEqualTo("a\\x09b\\x0ac\\x0dd\\x00e\\x7f");
  }

  @Test
  void backslashIsEscapedSoThatEscapedTextIsUnambiguous() {
    assertThat(TerminalText.escape("\\x1b")).isEqualTo("\\\\x1b");
    assertThat(TerminalText.escape("\u001b")).isEqualTo("\\x1b");
  }

  @Test
  void lineAndParagraphSeparatorsAreEscaped() {
    assertThat(TerminalText.escape("a\u2028b\u2029c")).isEqualTo("a\\u2028b\\u2029c");
  }

  @Test
  void messagesKeepTheirBackslashesButLoseTheirControls() {
    assertThat(TerminalText.escapeControls("name 'A\\x1b' \u001b[2J")).isEqualTo("name 'A\\x1b' \\x1b[2J");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "120.500 deg", "M 31", "h\u00e9llo w\u00f6rld \u2713", "\u00a0\u00ff\ud83d\ude00"})
  void ordinaryTextIsPrintedAsIs(String text) {
    assertThat(TerminalText.escape(text)).isSameAs(text);
  }

  @Test
  void rawPrintsTheTextAsStored() {
    String text = "\u001b[2J\u009b\u202e\n\\";
    assertThat(TerminalText.of(true).render(text)).isSameAs(text);
    assertThat(TerminalText.of(false).render(text)).isEqualTo("\\x1b[2J\\x9b\\u202e\\x0a\\\\");
  }

  @Test
  void everyCharacterIsEscapedExactlyAsNamesPrintableEscapesIt() {
    for (char c = 0; c < 0x3000; c++) {
      String s = String.valueOf(c);
      if (c != '\\' && !Character.isSurrogate(c)) {
        assertThat(TerminalText.escape(s)).as("U+%04X", (int) c).isEqualTo(Names.printable(s));
      }
    }
  }
}
