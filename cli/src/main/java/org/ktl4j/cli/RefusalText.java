package org.ktl4j.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ktl4j.RefusedException;
import org.ktl4j.type.KtlType;

/**
 * How a refused write reads on the command line: led by its code, once
 * ({@code BAD_VALUE: telescope.PIXELS: value '1 x 3' refused: element 1 (the second): not an integer}). The
 * library's text names the code a second time ({@code refused (BAD_VALUE):}), which the leading code makes
 * redundant; array elements, which the library numbers from 0, are also given as ordinals so that no one has to
 * guess where counting starts. Works on the text, so that a local check and the dispatcher's answer (which carries
 * the same text) read alike. Stateless.
 */
final class RefusalText {
  /** An element position at the start of a refusal's reason: {@code element 1}, {@code element 1 (X)}. */
  private static final Pattern ELEMENT = Pattern.compile("^element (\\d{1,9})(?: \\(([^)]*)\\))?");
  private static final String[] ORDINALS = {"first", "second", "third", "fourth", "fifth", "sixth", "seventh",
      "eighth", "ninth", "tenth"};

  private RefusalText() {}

  /**
   * The refusal's message led by its code, the code not repeated, array elements given as ordinals.
   *
   * @param type the refused keyword's type, or null if not known (no element rewriting)
   */
  static String of(RefusedException r, KtlType type) {
    String code = r.code().name();
    String m = r.getMessage();
    if (m.startsWith(code + ": ")) {
      m = m.substring(code.length() + 2);
    }
    String twice = " refused (" + code + "): ";
    int at = m.indexOf(twice);
    if (at >= 0) {
      String reason = m.substring(at + twice.length());
      m = m.substring(0, at) + " refused: " + (type != null && type.isArray() ? withOrdinal(reason) : reason);
    }
    return code + ": " + m;
  }

  /** {@code element 1: …} as {@code element 1 (the second): …}; {@code element 1 (Y)} as {@code (Y, the second)}. */
  static String withOrdinal(String reason) {
    Matcher e = ELEMENT.matcher(reason);
    if (!e.find()) {
      return reason;
    }
    String ordinal = "the " + ordinal(Integer.parseInt(e.group(1)) + 1);
    String where = "element " + e.group(1) + " (" + (e.group(2) != null ? e.group(2) + ", " : "") + ordinal + ")";
    return where + reason.substring(e.end());
  }

  /** {@code 1} → {@code first}, …, {@code 10} → {@code tenth}, then {@code 11th}, {@code 21st}, {@code 112th}. */
  static String ordinal(int n) {
    if (n >= 1 && n <= ORDINALS.length) {
      return ORDINALS[n - 1];
    }
    int lastTwo = n % 100;
    String suffix = lastTwo >= 11 && lastTwo <= 13 ? "th" : switch (n % 10) {
      case 1 -> "st";
      case 2 -> "nd";
      case 3 -> "rd";
      default -> "th";
    };
    return n + suffix;
  }
}
