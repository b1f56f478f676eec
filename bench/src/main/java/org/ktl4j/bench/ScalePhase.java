package org.ktl4j.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rate and CPU of one phase of the {@code scale} scenario ({@link ScaleScenario}) on one cluster, and the measuring
 * of a phase ({@link #measure}): a warm-up, then the bench's rounds, with a CPU snapshot before the first round
 * and after the last. A snapshot holds the CPU time of each {@code redis-server} and of the JVM ({@code /proc}), the
 * machine's busy and total ticks, the JVM's CPU by thread role ({@link ProcCpu}) and {@code INFO commandstats} summed
 * over every node; a phase holds their differences, which {@link #cpu()} writes as one note of the result table.
 *
 * <p>Not thread-safe: {@link #measure} fills a phase on the calling thread, which reads it afterwards. A snapshot
 * costs an {@code INFO commandstats} round trip to each master and a look at every live JVM thread.
 */
final class ScalePhase {
  long count;
  long nanos;
  long wallNanos;
  long[] redisTicks;
  long jvmTicks;
  long machineBusy;
  long machineTotal;
  Map<String, Long> roles = new HashMap<>();
  /** Over every node: usec of all commands, EVALSHA calls, their usec, SPUBLISH calls ({@code INFO commandstats}). */
  long[] commands = new long[4];

  double rate() {
    return nanos == 0 ? 0 : count * 1e9 / nanos;
  }

  double cores(long ticks) {
    return ticks / ProcCpu.TICKS_PER_SECOND / (wallNanos / 1e9);
  }

  /** "redis 0.97+0.95+0.96, JVM 0.12, machine 98% busy; JVM threads: ..." */
  String cpu() {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "Redis commands %,.0f µs/s in all (%,.0f "
        + "EVALSHA/s at %.1f µs, %,.0f SPUBLISH/s); ", commands[0] / (wallNanos / 1e9), commands[1] / (wallNanos / 1e9),
        commands[2] / (double) Math.max(1, commands[1]), commands[3] / (wallNanos / 1e9)));
    b.append("redis-server CPU ");
    double redis = 0;
    for (int i = 0; i < redisTicks.length; i++) {
      double c = cores(redisTicks[i]);
      redis += c;
      b.append(i == 0 ? "" : " + ").append(String.format(Locale.ROOT, "%.2f", c));
    }
    if (redisTicks.length > 1) {
      b.append(String.format(Locale.ROOT, " = %.2f", redis));
    }
    double jvm = cores(jvmTicks);
    b.append(String.format(Locale.ROOT, " cores, bench JVM %.2f cores, machine %.0f%% busy (%.2f of %d cores; "
        + "%.2f cores outside these processes)", jvm, 100.0 * machineBusy / Math.max(1, machineTotal),
        machineBusy * Runtime.getRuntime().availableProcessors() / (double) Math.max(1, machineTotal),
        Runtime.getRuntime().availableProcessors(),
        Math.max(0, machineBusy * Runtime.getRuntime().availableProcessors() / (double) Math.max(1, machineTotal)
            - redis - jvm)));
    List<Map.Entry<String, Long>> top = new ArrayList<>(roles.entrySet());
    top.sort((x, y) -> Long.compare(y.getValue(), x.getValue()));
    long threads = 0;
    for (Map.Entry<String, Long> e : roles.entrySet()) {
      threads += e.getValue();
    }
    b.append("; JVM threads by role (cores):");
    for (int i = 0; i < Math.min(6, top.size()); i++) {
      b.append(String.format(Locale.ROOT, " %s %.2f,", top.get(i).getKey(), top.get(i).getValue() / (double) wallNanos));
    }
    b.append(String.format(Locale.ROOT, " other threads %.2f, GC and VM (not Java threads) %.2f",
        Math.max(0, threads - top.subList(0, Math.min(6, top.size())).stream().mapToLong(Map.Entry::getValue).sum())
            / (double) wallNanos,
        Math.max(0, jvm - threads / (double) wallNanos)));
    return b.toString();
  }

  /** A load run in rounds: {count, ignored..., nanos} as the last element. */
  @FunctionalInterface
  interface Load {
    long[] run(long nanos) throws Exception;
  }

  /** {@link #measure(BenchCluster, int, BenchOptions, Load, Runnable)} with nothing to do before the rounds. */
  static ScalePhase measure(BenchCluster cluster, int masters, BenchOptions o, Load load) throws Exception {
    return measure(cluster, masters, o, load, () -> { });
  }

  /**
   * Warm-up, then {@code rounds} rounds, with a CPU snapshot before the first and after the last; {@code beforeRounds}
   * runs between the warm-up and the first snapshot.
   */
  static ScalePhase measure(BenchCluster cluster, int masters, BenchOptions o, Load load, Runnable beforeRounds)
      throws Exception {
    load.run(o.warmup().toNanos());
    beforeRounds.run();
    ScalePhase p = new ScalePhase();
    Snapshot a = Snapshot.take(cluster, masters);
    for (int r = 0; r < o.rounds(); r++) {
      long[] x = load.run(o.round().toNanos());
      p.count += x[0];
      p.nanos += x[x.length - 1];
    }
    Snapshot b = Snapshot.take(cluster, masters);
    p.wallNanos = b.nanos() - a.nanos();
    p.redisTicks = new long[masters];
    for (int i = 0; i < masters; i++) {
      p.redisTicks[i] = b.redis()[i] - a.redis()[i];
    }
    p.jvmTicks = b.jvm() - a.jvm();
    for (int i = 0; i < p.commands.length; i++) {
      p.commands[i] = b.commands()[i] - a.commands()[i];
    }
    if (a.machine() != null && b.machine() != null) {
      p.machineBusy = b.machine()[0] - a.machine()[0];
      p.machineTotal = b.machine()[1] - a.machine()[1];
    }
    for (Map.Entry<String, Long> e : b.roles().entrySet()) {
      long d = e.getValue() - a.roles().getOrDefault(e.getKey(), 0L);
      if (d > 0) {
        p.roles.put(e.getKey(), d);
      }
    }
    return p;
  }

  /** A CPU snapshot. */
  private record Snapshot(long nanos, long[] redis, long jvm, long[] machine, Map<String, Long> roles,
                          long[] commands) {
    static Snapshot take(BenchCluster c, int masters) {
      long[] redis = new long[masters];
      long[] commands = new long[4]; // over every node: usec of all commands, EVALSHA calls, their usec, SPUBLISH calls
      for (int i = 0; i < masters; i++) {
        redis[i] = c.cpuTicks(i);
        for (String line : c.info(i, "commandstats").split("\r?\n")) {
          if (!line.startsWith("cmdstat_")) {
            continue;
          }
          long calls = field(line, "calls=");
          long usec = field(line, "usec=");
          commands[0] += usec;
          if (line.startsWith("cmdstat_evalsha:")) {
            commands[1] += calls;
            commands[2] += usec;
          } else if (line.startsWith("cmdstat_spublish:")) {
            commands[3] += calls;
          }
        }
      }
      Map<String, Long> roles = ProcCpu.threadNanosByRole();
      return new Snapshot(System.nanoTime(), redis, ProcCpu.selfTicks(), ProcCpu.machineTicks(), roles, commands);
    }

    /** The number after {@code name} (e.g. {@code usec=}) in a line of {@code INFO commandstats}. */
    private static long field(String line, String name) {
      int i = line.indexOf("," + name);
      i = i < 0 ? line.indexOf(":" + name) : i;
      if (i < 0) {
        return 0;
      }
      int start = i + 1 + name.length();
      int end = start;
      while (end < line.length() && Character.isDigit(line.charAt(end))) {
        end++;
      }
      return end == start ? 0 : Long.parseLong(line.substring(start, end));
    }
  }
}
