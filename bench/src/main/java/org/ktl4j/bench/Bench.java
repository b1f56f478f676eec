package org.ktl4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The ktl4j bench: starts (or uses) a Redis and a dispatcher, then measures each ktl4j operation beside its
 * hand-rolled Jedis floor and EPICS PVA in the same run, and prints one table (docs/performance.md explains the
 * method); the {@code scale} scenario, when asked for, then starts Redis Clusters of its own ({@link ScaleScenario}).
 * Entry point of {@code scripts/bench.sh} and {@code bench/target/bench.jar}.
 */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) throws Exception {
    BenchOptions o;
    try {
      o = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      if (!e.getMessage().isEmpty()) {
        System.err.println("bench: " + e.getMessage());
      }
      System.err.print(BenchOptions.USAGE);
      System.exit(e.getMessage().isEmpty() ? 0 : 1);
      return;
    }
    ResultTable table = run(o);
    System.exit(table.rows().isEmpty() ? 1 : 0);
  }

  /** Runs the selected scenarios, prints the table and writes it as Markdown; returns it. */
  static ResultTable run(BenchOptions o) throws Exception {
    ResultTable table = new ResultTable();
    long start = System.nanoTime();
    String machine;
    if (o.scenarios().stream().anyMatch(s -> !s.equals("scale"))) {
      try (Rig rig = Rig.start(o)) {
        machine = machine(rig.redisVersion + " (" + rig.redisSource + ")");
        announce(machine, o);
        runOnRig(rig, o, table);
      }
    } else {
      machine = machine(BenchCluster.describe());
      announce(machine, o);
    }
    if (o.scenarios().contains("scale")) { // after the rig is gone: its dispatchers' heartbeats would load the CPUs
      step("scale");
      ScaleScenario.run(o, table);
    }
    String when = ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z"));
    String header = "ktl4j bench, " + when + ", commit " + commit() + "; " + machine + String.format(Locale.ROOT,
        "; %d rounds × %.1f s per side, %.1f s warm-up; %.0f s in all", o.rounds(), o.round().toMillis() / 1000.0,
        o.warmup().toMillis() / 1000.0, (System.nanoTime() - start) / 1e9);
    System.out.println();
    System.out.println(header);
    System.out.println();
    System.out.print(table.text());
    write(o.output(), "_" + header + "_\n\n" + table.markdown());
    return table;
  }

  private static void announce(String machine, BenchOptions o) {
    System.out.println("bench: " + machine);
    System.out.printf(Locale.ROOT, "bench: %d rounds of %.1f s per side, %.1f s warm-up; scenarios %s%n",
        o.rounds(), o.round().toMillis() / 1000.0, o.warmup().toMillis() / 1000.0, String.join(",", o.scenarios()));
  }

  /** The scenarios that run against the rig's Redis, dispatcher and clients. */
  private static void runOnRig(Rig rig, BenchOptions o, ResultTable table) throws Exception {
    PvaPeer pva = o.scenarios().contains("pva") ? new PvaPeer() : null;
    try {
      boolean pvaOnly = pva != null;
      if (o.scenarios().contains("read") || pvaOnly) {
        step("read");
        LatencyScenarios.read(rig, o, table, pva);
      }
      if (o.scenarios().contains("write") || pvaOnly) {
        step("write");
        LatencyScenarios.write(rig, o, table, pva);
      }
      if (o.scenarios().contains("callback") || pvaOnly) {
        step("callback");
        LatencyScenarios.callback(rig, o, table, pva);
      }
    } finally {
      if (pva != null) {
        pva.close();
      }
    }
    for (String s : o.scenarios()) {
      switch (s) {
        case "hot" -> {
          step(s);
          ThroughputScenarios.hot(rig, o, table);
        }
        case "modify" -> {
          step(s);
          ThroughputScenarios.modify(rig, o, table);
        }
        case "fanout" -> {
          step(s);
          FanOut.run(rig, o, table);
        }
        case "subs" -> {
          step(s);
          ManySubscriptions.run(rig, o, table);
        }
        default -> { }
      }
    }
  }

  private static void step(String scenario) {
    System.out.println("bench: " + scenario + "…");
  }

  private static void write(Path file, String markdown) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, markdown, StandardCharsets.UTF_8);
    System.out.println("bench: table written to " + file);
  }

  private static String machine(String redis) {
    String cpu = "?";
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
    } catch (IOException e) {
      // not Linux
    }
    return Runtime.getRuntime().availableProcessors() + " CPUs (" + cpu + "), Java " + System.getProperty("java.version")
        + ", Redis " + redis;
  }

  private static String commit() {
    try {
      Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
        String dirty = new ProcessBuilder("git", "status", "--porcelain", "--untracked-files=no").start()
            .getInputStream().readAllBytes().length > 0 ? "+changes" : "";
        return out + dirty;
      }
    } catch (IOException e) {
      // no git
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "?";
  }
}
