package org.ktl4j.cli;

import org.ktl4j.internal.protocol.Names;

/**
 * Text from Redis (values, units, help, enumerator labels, hosts) made safe to print on a terminal: anyone who can
 * write a value must not be able to move the cursor, clear the screen, set the clipboard (OSC 52), reorder what an
 * operator reads or add a line. Escaped, unless the user asked for {@link #RAW} output:
 * <ul>
 *   <li>C0 controls U+0000–U+001F (tab and newline too: a value stays on its line) and DEL as {@code \x1b},
 *       {@code \x09}, {@code \x0a}, {@code \x7f};
 *   <li>C1 controls U+0080–U+009F as {@code \x9b} (CSI on its own starts an escape sequence on some terminals);
 *   <li>the Unicode line and paragraph separators U+2028, U+2029 and the bidirectional overrides and isolates
 *       U+202A–U+202E and U+2066–U+2069 as <code>&#92;u202e</code>;
 *   <li>the backslash itself as {@code \\}, so that the escaped text is unambiguous: a stored ESC prints as
 *       {@code \x1b}, the four characters {@code \x1b} stored print as {@code \\x1b}.
 * </ul>
 * Everything else, non-ASCII letters included, is printed as is. The commands escape whole lines or table cells
 * at the moment they print them: the text they add themselves holds none of these characters, so a line escaped
 * whole reads the same as one built from escaped parts, and no field from Redis can be forgotten. Error messages
 * go through {@link #escapeControls(String)} instead (see there). {@code Names.printable} in {@code common} escapes
 * the same characters the same way for messages and logs.
 *
 * <p>Immutable and thread-safe. Cost: one pass over the text; no copy when nothing needs escaping.
 */
final class TerminalText {
  /** Escapes as described above: the default of every command. */
  static final TerminalText ESCAPED = new TerminalText(false);
  /** Prints the text as stored ({@code --raw}). */
  static final TerminalText RAW = new TerminalText(true);

  private final boolean raw;

  private TerminalText(boolean raw) {
    this.raw = raw;
  }

  /** {@link #RAW} if {@code raw}, else {@link #ESCAPED}. */
  static TerminalText of(boolean raw) {
    return raw ? RAW : ESCAPED;
  }

  /** The text as this mode prints it. */
  String render(String text) {
    return raw ? text : escape(text);
  }

  /** The text with control characters, bidi overrides and backslashes escaped. */
  static String escape(String text) {
    return escape(text, true);
  }

  /**
   * The text with control characters and bidi overrides escaped but backslashes left alone: for error messages,
   * which are prose for people and may already hold escapes (a name shown by {@code Names.printable}, a value by
   * {@link #escape}) that should not be doubled. Messages are escaped even when {@code --raw} is given.
   */
  static String escapeControls(String text) {
    return escape(text, false);
  }

  /** Whether {@code c} is printed escaped (the backslash aside). */
  static boolean isControl(char c) {
    return Names.isControl(c); // the one definition, shared with logs and refusals
  }

  private static String escape(String text, boolean backslash) {
    StringBuilder b = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean control = isControl(c);
      if (!control && !(backslash && c == '\\')) {
        if (b != null) {
          b.append(c);
        }
        continue;
      }
      if (b == null) {
        b = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (!control) {
        b.append("\\\\");
      } else if (c <= 0xff) {
        b.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
      } else {
        b.append("\\u").append(Integer.toHexString(c)); // U+2028..U+2069: always four digits
      }
    }
    return b == null ? text : b.toString();
  }
}
