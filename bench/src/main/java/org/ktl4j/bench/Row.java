package org.ktl4j.bench;

import java.util.Locale;

/**
 * One line of the result table: a ktl4j measure beside its reference (the hand-rolled floor, or PVA), the
 * ratio, the target and whether it was met. Cells are text with their units.
 */
record Row(String operation, String reference, String refP50, String refP99, String ktlP50, String ktlP99,
    String ratioP50, String ratioP99, String target, String met) {

  static final String NONE = "—";

  /** A latency comparison; {@code limit} is the largest ratio at p50 and p99 that meets the target (0: none). */
  static Row latency(String operation, Side reference, Side ktl, double limit, String target) {
    double r50 = (double) ktl.p50() / reference.p50();
    double r99 = (double) ktl.p99() / reference.p99();
    String met = limit <= 0 ? NONE : (r50 <= limit && r99 <= limit ? "yes" : "no");
    return new Row(operation, reference.name, micros(reference.p50()), micros(reference.p99()), micros(ktl.p50()),
        micros(ktl.p99()), ratio(r50), ratio(r99), target, met);
  }

  static String micros(long nanos) {
    return String.format(Locale.ROOT, "%,d µs", Math.round(nanos / 1000.0));
  }

  static String ratio(double r) {
    return String.format(Locale.ROOT, "%.2f×", r);
  }

  static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%,.0f/s", perSecond);
  }

  static String millis(double ms) {
    return String.format(Locale.ROOT, "%.1f ms", ms);
  }

  String[] cells() {
    return new String[] {operation, reference, refP50, refP99, ktlP50, ktlP99, ratioP50, ratioP99, target, met};
  }
}
