package org.ktl4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.ktl4j.internal.protocol.Names;

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
    int assignmentEnd = -1; // the index of the word after the last assignment
    while (i < words.size()) {
      String w = words.get(i);
      int eq = w.indexOf('=');
      if (eq > 0) {
        String kw = w.substring(0, eq).strip();
        String rest = w.substring(eq + 1);
        if (rest.isEmpty() && i + 1 < words.size() && !looksLikeAssignment(words.get(i + 1))) { // KW= value
          out.add(new Assignment(kw, words.get(i + 1)));
          i += 2;
          assignmentEnd = i;
        } else {                                        // KW=value, or KW= (an empty value) before KW2=...
          out.add(new Assignment(kw, rest));
          i += 1;
          assignmentEnd = i;
        }
      } else if (eq < 0 && i + 1 < words.size() && words.get(i + 1).startsWith("=")) {
        String next = words.get(i + 1).substring(1);
        if (next.isEmpty()) {                           // KW = value
          if (i + 2 >= words.size()) {
            throw new IllegalArgumentException("'" + w + " =' has no value");
          }
          out.add(new Assignment(w.strip(), words.get(i + 2)));
          i += 3;
          assignmentEnd = i;
        } else {                                        // KW =value
          out.add(new Assignment(w.strip(), next));
          i += 2;
          assignmentEnd = i;
        }
      } else if (eq < 0 && BARE_FLAGS.contains(w.toLowerCase(Locale.ROOT))) {
        flags.add(w.toLowerCase(Locale.ROOT));
        i += 1;
      } else {
        throw notAnAssignment(words, i, assignmentEnd == i ? out.get(out.size() - 1) : null);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("nothing to write: give at least one KEYWORD=value");
    }
    return new Parsed(List.copyOf(out), Set.copyOf(flags));
  }

  /**
   * The refusal of {@code words[i]}, with what was probably meant: the rest of the value of the assignment just
   * before it, {@code before} ({@code ARR=-1 2}: quote it, {@code ARR='-1 2'}), or a missing {@code =}
   * ({@code X -1}: {@code X=-1}).
   */
  private static IllegalArgumentException notAnAssignment(List<String> words, int i, Assignment before) {
    String w = words.get(i);
    String m = "'" + w + "' is not an assignment KEYWORD=value";
    if (w.startsWith("=")) {
      return new IllegalArgumentException(m + " (no keyword before '=')");
    }
    if (before != null) { // right after an assignment: its value went on in further words, unquoted
      StringBuilder value = new StringBuilder(before.value());
      for (int j = i; j < words.size() && words.get(j).indexOf('=') < 0
          && !BARE_FLAGS.contains(words.get(j).toLowerCase(Locale.ROOT)); j++) {
        value.append(' ').append(words.get(j));
      }
      return new IllegalArgumentException(m + "; if it belongs to the value of " + before.keyword()
          + ", quote the whole value: " + before.keyword() + "='" + value + "'");
    }
    if (i + 1 < words.size() && Names.isValidKeyword(Names.toUpperAscii(w.strip()))
        && !looksLikeAssignment(words.get(i + 1))) {
      String next = words.get(i + 1);
      return new IllegalArgumentException(m + ": did you mean " + w.strip() + "=" + next + "?"
          + (next.startsWith("-") ? " (use -- before values that start with '-' when they are words of their "
              + "own)" : ""));
    }
    return new IllegalArgumentException(m);
  }

  /** Whether a word starts with a keyword name and {@code =}. */
  private static boolean looksLikeAssignment(String word) {
    int eq = word.indexOf('=');
    return eq > 0 && Names.isValidKeyword(Names.toUpperAscii(word.substring(0, eq).strip()));
  }
}
