package org.ktl4j.protocol;

import java.util.Locale;

/**
 * Validates and normalises service and keyword names (ktl protocol 1, "Names").
 *
 * <p>A service name is case-insensitive and stored lowercase: {@code [a-z][a-z0-9_.-]{0,63}}. A keyword
 * name is case-insensitive and stored uppercase: {@code [A-Z][A-Z0-9_]{0,63}}. Any other name is refused
 * before Redis is touched.
 *
 * <p>Stateless and thread-safe; each call is a single pass over the name with no allocation beyond the
 * normalised string.
 */
public final class Names {
  /** Longest service or keyword name, in characters. */
  public static final int MAX_LENGTH = 64;

  private Names() {}

  /**
   * Returns the service name in its stored (lowercase) form.
   *
   * @throws IllegalArgumentException if the name is not a valid service name; the message says why
   */
  public static String service(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("invalid service name '': a service name is required ([a-z][a-z0-9_.-]{0,63})");
    }
    String s = name.toLowerCase(Locale.ROOT);
    if (!isValidService(s)) {
      throw new IllegalArgumentException("invalid service name '" + printable(name)
          + "': must match [a-z][a-z0-9_.-]{0,63} (case-insensitive)");
    }
    return s;
  }

  /**
   * Returns the keyword name in its stored (uppercase) form.
   *
   * @throws IllegalArgumentException if the name is not a valid keyword name; the message says why
   */
  public static String keyword(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("invalid keyword name '': a keyword name is required ([A-Z][A-Z0-9_]{0,63})");
    }
    String k = name.toUpperCase(Locale.ROOT);
    if (!isValidKeyword(k)) {
      throw new IllegalArgumentException("invalid keyword name '" + printable(name)
          + "': must match [A-Z][A-Z0-9_]{0,63} (case-insensitive)");
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

  /** A short, printable rendering of untrusted text for error messages. */
  public static String printable(String text) {
    if (text == null) {
      return "null";
    }
    int limit = 80;
    StringBuilder b = new StringBuilder(Math.min(text.length(), limit) + 16);
    for (int i = 0; i < text.length() && i < limit; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    if (text.length() > limit) {
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
