package org.ktl4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.ktl4j.protocol.Names;

/**
 * One {@code KW=value} of {@code ktl modify}, and how the command-line words become assignments. The spacing
 * variants KTL users type are accepted: {@code KW=value}, {@code KW= value}, {@code KW =value} and
 * {@code KW = value} (separate shell words). A value may itself contain {@code =} (only the first one splits).
 * KTL's dash-less flags ({@code nowait}, {@code notify}, {@code silent}, {@code binary}) are recognised as
 * words standing alone, not part of an assignment. After {@code KW=} the next word is its value unless that word
 * is itself an assignment ({@code NAME= OBJECT=m31} writes an empty {@code NAME}). Immutable.
 *
 * @param keyword the keyword as typed
 * @param value   the value as typed (may be empty: the type then refuses it)
 */
record Assignment(String keyword, String value) {
  /** KTL's dash-less {@code modify} flags. */
  static final Set<String> BARE_FLAGS = Set.of("nowait", "notify", "silent", "binary");

  /** Words split into assignments and bare flags. */
  record Parsed(List<Assignment> assignments, Set<String> flags) {}

  /**
   * Parses the positional words of {@code ktl modify}.
   *
   * @throws IllegalArgumentException naming the word that is neither an assignment nor a flag
   */
  static Parsed parse(List<String> words) {
    List<Assignment> out = new ArrayList<>();
    Set<String> flags = new java.util.TreeSet<>();
    int i = 0;
    while (i < words.size()) {
      String w = words.get(i);
      int eq = w.indexOf('=');
      if (eq > 0) {
        String kw = w.substring(0, eq).strip();
        String rest = w.substring(eq + 1);
        if (rest.isEmpty() && i + 1 < words.size() && !looksLikeAssignment(words.get(i + 1))) { // KW= value
          out.add(new Assignment(kw, words.get(i + 1)));
          i += 2;
        } else {                                        // KW=value, or KW= (an empty value) before KW2=...
          out.add(new Assignment(kw, rest));
          i += 1;
        }
      } else if (eq < 0 && i + 1 < words.size() && words.get(i + 1).startsWith("=")) {
        String next = words.get(i + 1).substring(1);
        if (next.isEmpty()) {                           // KW = value
          if (i + 2 >= words.size()) {
            throw new IllegalArgumentException("'" + w + " =' has no value");
          }
          out.add(new Assignment(w.strip(), words.get(i + 2)));
          i += 3;
        } else {                                        // KW =value
          out.add(new Assignment(w.strip(), next));
          i += 2;
        }
      } else if (eq < 0 && BARE_FLAGS.contains(w.toLowerCase(Locale.ROOT))) {
        flags.add(w.toLowerCase(Locale.ROOT));
        i += 1;
      } else {
        throw new IllegalArgumentException("'" + w + "' is not an assignment KEYWORD=value"
            + (eq == 0 ? " (no keyword before '=')" : ""));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("nothing to write: give at least one KEYWORD=value");
    }
    return new Parsed(List.copyOf(out), Set.copyOf(flags));
  }

  /** Whether a word starts with a keyword name and {@code =}. */
  private static boolean looksLikeAssignment(String word) {
    int eq = word.indexOf('=');
    return eq > 0 && Names.isValidKeyword(Names.toUpperAscii(word.substring(0, eq).strip()));
  }
}
