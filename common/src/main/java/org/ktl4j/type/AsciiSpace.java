package org.ktl4j.type;

/**
 * The white space of ascii values (protocol section 7): space, tab, line feed, carriage return, vertical tab and
 * form feed, and nothing else. Java's {@code strip()} and {@code Character.isWhitespace} also take U+001C–U+001F,
 * U+2028, U+3000 and other Unicode spaces, which a peer in another language would not, so the types use this.
 * Stateless; allocation-free except for {@link #strip} when there is something to strip.
 */
final class AsciiSpace {
  private AsciiSpace() {}

  /** Whether {@code c} is white space in an ascii value. */
  static boolean is(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
  }

  /** {@code text} without leading and trailing white space. */
  static String strip(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && is(text.charAt(start))) {
      start++;
    }
    while (end > start && is(text.charAt(end - 1))) {
      end--;
    }
    return start == 0 && end == text.length() ? text : text.substring(start, end);
  }
}
