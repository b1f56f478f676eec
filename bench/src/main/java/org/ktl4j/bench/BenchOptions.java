package org.ktl4j.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The bench's command-line options, immutable.
 *
 * @param redisUrl        an existing Redis ({@code redis://host:port/db}); empty = start an embedded one
 * @param round           how long each side runs in one round
 * @param rounds          rounds per scenario (floor and ktl4j alternate their order from round to round)
 * @param warmup          warm-up time per side before the first round (not recorded)
 * @param scenarios       the scenarios to run, in order
 * @param output          where the Markdown table is written
 * @param quick           a smoke run: shorter rounds and smaller fan-out
 * @param hotSubscribers  clients subscribed to the hot keyword (default 4)
 * @param durable         also measure writes with replica durability: the embedded Redis gets a replica (which every
 *                        other row then shares), or a {@code --redis} server must have one in sync
 */
record BenchOptions(Optional<String> redisUrl, Duration round, int rounds, Duration warmup, List<String> scenarios,
    Path output, boolean quick, int hotSubscribers, boolean durable) {

  /** Every scenario, in the order they run. */
  static final List<String> ALL = List.of("read", "write", "callback", "pva", "hot", "modify", "subs", "fanout");

  static final String USAGE = """
      usage: scripts/bench.sh [options]     (or java -jar bench/target/bench.jar [options])
        --redis URL               use this Redis (redis://host:port/db) instead of starting an embedded one
        --seconds-per-round S     time each side runs per round (default 2)
        --rounds N                rounds per scenario (default 5)
        --warmup S                warm-up seconds per side (default 2)
        --scenarios a,b,c         any of %s (default all)
        --quick                   smoke run: 0.3 s rounds, 2 rounds, 0.3 s warm-up, small fan-out
        --out FILE                Markdown table (default bench/target/bench-result.md)
        --hot-subscribers N       clients subscribed to the hot keyword (default 4)
        --durable                 add a replica and the row of writes with durability replica (WAIT 1)
      """.formatted(String.join(",", ALL));

  static BenchOptions parse(String[] args) {
    Optional<String> url = Optional.empty();
    double seconds = 2;
    int rounds = 5;
    double warmup = 2;
    boolean quick = false;
    int hotSubscribers = 4;
    boolean durable = false;
    Path out = Path.of("bench", "target", "bench-result.md");
    Set<String> scenarios = new LinkedHashSet<>(ALL);
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--redis" -> url = Optional.of(value(args, ++i, a));
        case "--seconds-per-round" -> seconds = Double.parseDouble(value(args, ++i, a));
        case "--rounds" -> rounds = Integer.parseInt(value(args, ++i, a));
        case "--warmup" -> warmup = Double.parseDouble(value(args, ++i, a));
        case "--quick" -> quick = true;
        case "--hot-subscribers" -> hotSubscribers = Integer.parseInt(value(args, ++i, a));
        case "--durable" -> durable = true;
        case "--out" -> out = Path.of(value(args, ++i, a));
        case "--scenarios" -> {
          scenarios.clear();
          for (String s : value(args, ++i, a).split(",")) {
            String n = s.trim().toLowerCase(Locale.ROOT);
            if (!ALL.contains(n)) {
              throw new IllegalArgumentException("unknown scenario '" + s + "'; known: " + String.join(",", ALL));
            }
            scenarios.add(n);
          }
        }
        case "-h", "--help" -> throw new IllegalArgumentException("");
        default -> throw new IllegalArgumentException("unknown option '" + a + "'");
      }
    }
    if (quick) {
      seconds = Math.min(seconds, 0.3);
      rounds = Math.min(rounds, 2);
      warmup = Math.min(warmup, 0.3);
    }
    if (seconds <= 0 || rounds < 1 || warmup < 0 || hotSubscribers < 0 || hotSubscribers > 100) {
      throw new IllegalArgumentException(
          "--seconds-per-round must be > 0, --rounds >= 1, --warmup >= 0, --hot-subscribers 0 to 100");
    }
    List<String> ordered = new ArrayList<>();
    for (String s : ALL) {
      if (scenarios.contains(s)) {
        ordered.add(s);
      }
    }
    return new BenchOptions(url, Duration.ofMillis((long) (seconds * 1000)), rounds,
        Duration.ofMillis((long) (warmup * 1000)), List.copyOf(ordered), out, quick, hotSubscribers,
        durable);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
