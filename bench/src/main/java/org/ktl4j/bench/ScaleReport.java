package org.ktl4j.bench;

import java.util.List;
import java.util.Locale;
import org.ktl4j.bench.ScaleScenario.Measured;

/**
 * What the {@code scale} scenario ({@link ScaleScenario}) puts in the result table: one row per figure (MODIFY,
 * values stored from code, updates delivered, MODIFY while monitored, CPU of the idle dispatchers), each the mean over
 * the clusters of the first master count against the mean over those of the last, and notes on each cluster (start-up,
 * refusals, and the CPU of each phase, {@link ScalePhase#cpu()}). Stateless; costs nothing worth measuring.
 */
final class ScaleReport {
  private ScaleReport() {}

  /** Adds the rows and notes of {@code all} (every cluster measured, in order) to {@code table}. */
  static void addTo(ResultTable table, BenchOptions o, List<Measured> all) {
    BenchOptions.Scale sc = o.scale();
    List<Integer> counts = all.stream().map(x -> x.masters).distinct().toList();
    int one = counts.get(0);
    int many = counts.get(counts.size() - 1);
    boolean compare = counts.size() > 1;
    String what = String.format(Locale.ROOT, "%,d services × %d keywords", sc.services(), sc.keywords());
    String ref = one + " master" + (one == 1 ? "" : "s") + (compare ? " → " + many + " masters" : "")
        + (all.size() > counts.size() ? " (means of " + all.size() + " clusters)" : "");
    table.add(scaleRow("scale: MODIFY, " + what + ", raw pipelined, ≤ " + sc.window() + " in flight", ref,
        mean(all, one, x -> x.modify.rate()), mean(all, many, x -> x.modify.rate()), compare, true));
    table.add(scaleRow("scale: broadcast, values stored from dispatcher code (set), ≤ " + sc.window() + " in flight",
        ref, mean(all, one, x -> x.broadcast.rate()), mean(all, many, x -> x.broadcast.rate()), compare, true));
    table.add(scaleRow("scale: broadcast, updates delivered to 1 client monitoring all (subscribeAll × "
        + sc.services() + ")", ref, mean(all, one, Measured::deliveredPerSecond),
        mean(all, many, Measured::deliveredPerSecond), compare, false));
    table.add(scaleRow("scale: MODIFY while that client monitors all", ref, mean(all, one, x -> x.modifyMonitored.rate()),
        mean(all, many, x -> x.modifyMonitored.rate()), compare, false));
    table.add(new Row("scale: CPU of " + sc.services() + " idle dispatchers (heartbeats, leases, timers)", ref,
        String.format(Locale.ROOT, "%.2f cores", mean(all, one, x -> x.idle.cores(x.idle.jvmTicks))), Row.NONE,
        compare ? String.format(Locale.ROOT, "%.2f cores", mean(all, many, x -> x.idle.cores(x.idle.jvmTicks)))
            : Row.NONE, Row.NONE, Row.NONE, Row.NONE, "—", Row.NONE));
    for (Measured m : all) {
      StringBuilder spread = new StringBuilder();
      for (int i = 0; i < m.masters; i++) {
        spread.append(i == 0 ? "" : "/").append(m.servicesPerMaster[i]);
      }
      table.note(String.format(Locale.ROOT, "scale, %d master(s) (services per master %s): %,d dispatchers started "
          + "in %.1f s on %d endpoint(s), %d JVM threads after start (peak %d); the client opened and subscribed "
          + "%,d services in %.1f s; %,d MODIFY refused (of %,d answered), %,d unanswered (given up 5 s after the "
          + "last reply); %,d values set from code set again, their store not retried by the dispatcher 2 s after a "
          + "round, %,d never stored", m.masters, spread, o.scale().services(),
          m.startSeconds, o.scale().endpoints(), m.threadsAfterStart, m.peakThreads, o.scale().services(),
          m.clientSeconds, m.refused, m.modify.count + m.modifyMonitored.count, m.unanswered, m.resets, m.abandoned));
      table.note(String.format(Locale.ROOT, "scale, %d master(s), idle: %s", m.masters, m.idle.cpu()));
      table.note(String.format(Locale.ROOT, "scale, %d master(s), MODIFY %,.0f/s: %s", m.masters, m.modify.rate(),
          m.modify.cpu()));
      table.note(String.format(Locale.ROOT, "scale, %d master(s), broadcast %,.0f stored/s, %,.0f delivered/s "
          + "(%,d updates standing for %,d values): %s", m.masters, m.broadcast.rate(), m.deliveredPerSecond(),
          m.delivered, m.covered, m.broadcast.cpu()));
      table.note(String.format(Locale.ROOT, "scale, %d master(s), MODIFY monitored %,.0f/s: %s", m.masters,
          m.modifyMonitored.rate(), m.modifyMonitored.cpu()));
    }
  }

  /** The mean of {@code f} over the clusters of {@code masters} masters. */
  private static double mean(List<Measured> all, int masters, java.util.function.ToDoubleFunction<Measured> f) {
    return all.stream().filter(x -> x.masters == masters).mapToDouble(f).average().orElse(0);
  }

  private static Row scaleRow(String operation, String ref, double one, double many, boolean compare,
      boolean target) {
    double ratio = one == 0 ? 0 : many / one;
    return new Row(operation, ref, Row.rate(one), Row.NONE, compare ? Row.rate(many) : Row.NONE, Row.NONE,
        compare ? Row.ratio(ratio) : Row.NONE, Row.NONE, target ? "≥ 2.5× (last / first)" : "—",
        target && compare ? (ratio >= 2.5 ? "yes" : "no") : Row.NONE);
  }
}
