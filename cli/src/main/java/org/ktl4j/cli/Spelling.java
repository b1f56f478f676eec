package org.ktl4j.cli;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * The name a mistyped word most likely meant, for "did you mean" hints: a command, an option or a keyword.
 * A name qualifies when it starts with the word or lies within a small edit distance of it (one edit for words of
 * up to four characters, two beyond), case-insensitively; the closest wins, the first given on a tie. A word of one
 * letter (after its dashes) gets no hint. Stateless. Cost: O(n·m) per candidate, for command-line words only.
 */
final class Spelling {
  private Spelling() {}

  /** The candidate {@code typed} most likely meant, if one is close enough. */
  static Optional<String> closest(String typed, Collection<String> candidates) {
    String t = typed.toLowerCase(Locale.ROOT);
    if (t.replaceFirst("^-+", "").length() < 2) {
      return Optional.empty(); // one letter is one edit from every other: no hint is better than a wrong one
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      String n = c.toLowerCase(Locale.ROOT);
      if (n.equals(t)) {
        continue; // not a misspelling of itself
      }
      int d = t.length() >= 2 && n.startsWith(t) ? 1 : distance(t, n);
      int allowed = t.length() <= 4 ? 1 : 2;
      if (d <= allowed && d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Levenshtein distance, a transposition of neighbours counting as one edit. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
