package org.ktl4j.bench;

import java.util.ArrayList;
import java.util.List;

/** The rows of one run, printed as an aligned text table and as Markdown. Not thread-safe. */
final class ResultTable {
  static final String[] HEADER = {"operation", "reference", "ref p50", "ref p99", "ktl4j p50", "ktl4j p99",
      "ratio p50", "ratio p99", "target", "met"};

  private final List<Row> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  void add(Row row) {
    rows.add(row);
  }

  void note(String note) {
    notes.add(note);
  }

  List<Row> rows() {
    return List.copyOf(rows);
  }

  String text() {
    int[] w = new int[HEADER.length];
    List<String[]> all = new ArrayList<>();
    all.add(HEADER);
    rows.forEach(r -> all.add(r.cells()));
    for (String[] cells : all) {
      for (int i = 0; i < cells.length; i++) {
        w[i] = Math.max(w[i], cells[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int n = 0; n < all.size(); n++) {
      String[] cells = all.get(n);
      for (int i = 0; i < cells.length; i++) {
        boolean left = i < 2 || i >= 8;
        String c = cells[i];
        String pad = " ".repeat(w[i] - c.length());
        sb.append(left ? c + pad : pad + c).append(i < cells.length - 1 ? "  " : "");
      }
      sb.append('\n');
      if (n == 0) {
        int total = 0;
        for (int x : w) {
          total += x + 2;
        }
        sb.append("-".repeat(total - 2)).append('\n');
      }
    }
    notes.forEach(x -> sb.append("* ").append(x).append('\n'));
    return sb.toString();
  }

  String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append('|').append(String.join("|", HEADER)).append("|\n|");
    for (int i = 0; i < HEADER.length; i++) {
      sb.append(i < 2 || i >= 8 ? "---|" : "---:|");
    }
    sb.append('\n');
    for (Row r : rows) {
      sb.append('|');
      for (String c : r.cells()) {
        sb.append(c.replace("|", "\\|")).append('|');
      }
      sb.append('\n');
    }
    if (!notes.isEmpty()) {
      sb.append('\n');
      notes.forEach(x -> sb.append("- ").append(x).append('\n'));
    }
    return sb.toString();
  }
}
