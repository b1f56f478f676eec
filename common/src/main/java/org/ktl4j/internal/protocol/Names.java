package org.ktl4j.internal.protocol;

/**
 * Validates and normalises service and keyword names (ktl protocol 1, "Names").
 *
 * <p>Names are ASCII only, by rule and by code. A service name is case-insensitive and stored lowercase:
 * {@code [A-Za-z][A-Za-z0-9_.-]{0,63}}, stored as {@code [a-z][a-z0-9_.-]{0,63}}. A keyword name is
 * case-insensitive and stored uppercase: {@code [A-Za-z][A-Za-z0-9_]{0,63}}, stored as
 * {@code [A-Z][A-Z0-9_]{0,63}}. The alphabet is checked on the text as given, and only the 26 ASCII letters are
 * case-mapped ({@link #toLowerAscii}, {@link #toUpperAscii}): Unicode case rules never apply, so {@code ﬁlter},
 * {@code straße}, a dotless {@code ı}, a Kelvin sign or a fullwidth letter is refused, not mapped to an ASCII
 * name. Any other name is refused before Redis is touched.
 *
 * <p>Stateless and thread-safe; each call is a single pass over the name with no allocation beyond the
 * normalised string.
 */
public final class Names {
  /** Longest service or keyword name, in characters. */
  public static final int MAX_LENGTH = 64;

  private static final String SERVICE_RULE = "[a-z][a-z0-9_.-]{0,63}, ASCII only, any case";
  private static final String KEYWORD_RULE = "[A-Z][A-Z0-9_]{0,63}, ASCII only, any case";
  private static final int PRINTABLE_LIMIT = 80;

  private Names() {}

  /**
   * Returns the service name in its stored (lowercase) form.
   *
   * @throws IllegalArgumentException if the name is not a valid service name; the message names it (escaped) and
   *     says the rule
   */
  public static String service(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("invalid service name '': a service name is required (" + SERVICE_RULE + ")");
    }
    String s = toLowerAscii(name);
    if (!isValidService(s)) {
      throw new IllegalArgumentException("invalid service name '" + printable(name) + "': must match "
          + SERVICE_RULE);
    }
    return s;
  }

  /**
   * Returns the keyword name in its stored (uppercase) form.
   *
   * @throws IllegalArgumentException if the name is not a valid keyword name; the message names it (escaped) and
   *     says the rule
   */
  public static String keyword(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("invalid keyword name '': a keyword name is required (" + KEYWORD_RULE + ")");
    }
    String k = toUpperAscii(name);
    if (!isValidKeyword(k)) {
      throw new IllegalArgumentException("invalid keyword name '" + printable(name) + "': must match "
          + KEYWORD_RULE);
    }
    return k;
  }

  /** True if {@code s} is a valid service name already in stored (lowercase) form. */
  public static boolean isValidService(String s) {
    int n = s.length();
    if (n == 0 || n > MAX_LENGTH) {
      return false;
    }
    char c0 = s.charAt(0);
    if (c0 < 'a' || c0 > 'z') {
      return false;
    }
    for (int i = 1; i < n; i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /** True if {@code k} is a valid keyword name already in stored (uppercase) form. */
  public static boolean isValidKeyword(String k) {
    int n = k.length();
    if (n == 0 || n > MAX_LENGTH) {
      return false;
    }
    char c0 = k.charAt(0);
    if (c0 < 'A' || c0 > 'Z') {
      return false;
    }
    for (int i = 1; i < n; i++) {
      char c = k.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code text} with {@code A}–{@code Z} mapped to {@code a}–{@code z} and every other character, ASCII or not,
   * left as it is: the one case mapping of names. Unlike {@link String#toLowerCase}, it never turns a non-ASCII
   * character into an ASCII one (the Kelvin sign into {@code k}) and never changes the length.
   */
  public static String toLowerAscii(String text) {
    char[] c = null;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (ch >= 'A' && ch <= 'Z') {
        if (c == null) {
          c = text.toCharArray();
        }
        c[i] = (char) (ch + ('a' - 'A'));
      }
    }
    return c == null ? text : new String(c);
  }

  /**
   * {@code text} with {@code a}–{@code z} mapped to {@code A}–{@code Z} and every other character, ASCII or not,
   * left as it is: the one case mapping of names. Unlike {@link String#toUpperCase}, it never turns a non-ASCII
   * character into ASCII ones ({@code ﬁ} into {@code FI}, {@code ß} into {@code SS}, {@code ı} into {@code I}).
   */
  public static String toUpperAscii(String text) {
    char[] c = null;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (ch >= 'a' && ch <= 'z') {
        if (c == null) {
          c = text.toCharArray();
        }
        c[i] = (char) (ch - ('a' - 'A'));
      }
    }
    return c == null ? text : new String(c);
  }

  /**
   * A short rendering of untrusted text for error messages and logs, safe to print on a terminal: at most 80
   * characters, then {@code …(N chars)}. C0 controls (tab and newline included), DEL and C1 controls become
   * {@code \xHH} ({@code \x1b}, {@code \x9b}); the Unicode bidirectional overrides and isolates (U+202A–U+202E,
   * U+2066–U+2069) become <code>&#92;uHHHH</code> (<code>&#92;u202e</code>). Backslashes are left as they are: the
   * rendering is for people, not for parsing back. The {@code ktl} command escapes the same characters the same
   * way.
   */
  public static String printable(String text) {
    return escaped(text, PRINTABLE_LIMIT);
  }

  /**
   * Untrusted text with every {@linkplain #isControl control character} escaped as in {@link #printable}, but whole:
   * for reasons that must be read in full (a hook's exception message) and still cannot forge a line.
   */
  public static String escaped(String text) {
    return escaped(text, Integer.MAX_VALUE);
  }

  private static String escaped(String text, int limit) {
    if (text == null) {
      return "null";
    }
    int end = Math.min(text.length(), limit);
    if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--; // never split a surrogate pair
    }
    StringBuilder b = null;
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (!isControl(c)) {
        if (b != null) {
          b.append(c);
        }
        continue;
      }
      if (b == null) {
        b = new StringBuilder(end + 16).append(text, 0, i);
      }
      b.append(c <= 0xff ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
    }
    if (b == null) {
      if (end == text.length()) {
        return text;
      }
      b = new StringBuilder(end + 16).append(text, 0, end);
    }
    if (end < text.length()) {
      b.append("…(").append(text.length()).append(" chars)");
    }
    return b.toString();
  }

  /**
   * True for characters that can change how a terminal or log shows the text around them: C0 and C1 controls, DEL,
   * the Unicode line and paragraph separators and the bidirectional overrides and isolates.
   */
  public static boolean isControl(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029' || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069');
  }
}
