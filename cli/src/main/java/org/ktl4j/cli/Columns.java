package org.ktl4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows of text printed in aligned columns: every column but the last is padded to its widest cell and columns are
 * separated by a gap of spaces (two unless told otherwise); trailing blanks are dropped. Every cell is rendered
 * through a {@link TerminalText} when added (escaped unless raw), so widths are those of the text printed. Not
 * thread-safe.
 */
final class Columns {
  private final int gap;
  private final TerminalText text;
  private final List<String[]> rows = new ArrayList<>();

  /** Columns separated by two spaces. */
  Columns(TerminalText text) {
    this(2, text);
  }

  /** Columns separated by {@code gap} spaces. */
  Columns(int gap, TerminalText text) {
    this.gap = gap;
    this.text = text;
  }

  /** Adds a row (a header is just the first row). */
  Columns row(String... cells) {
    String[] rendered = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      rendered[i] = text.render(cells[i]);
    }
    rows.add(rendered);
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  /** Prints the rows and flushes. */
  void print(PrintWriter out) {
    int n = rows.stream().mapToInt(r -> r.length).max().orElse(0);
    int[] width = new int[n];
    for (String[] r : rows) {
      for (int i = 0; i < r.length - 1; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        line.append(r[i]);
        if (i < r.length - 1) {
          line.append(" ".repeat(width[i] - r[i].length() + gap));
        }
      }
      out.println(line.toString().stripTrailing());
    }
    out.flush();
  }
}
