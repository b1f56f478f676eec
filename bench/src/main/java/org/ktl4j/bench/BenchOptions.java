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
 * @param history         the dispatchers' history length (values kept per keyword; 0: none), to measure its cost
 * @param scale           the settings of the {@code scale} scenario ({@link ScaleScenario})
 */
record BenchOptions(Optional<String> redisUrl, Duration round, int rounds, Duration warmup, List<String> scenarios,
    Path output, boolean quick, int hotSubscribers, boolean durable, int history, Scale scale) {

  /** Every scenario of a default run, in the order they run. */
  static final List<String> ALL = List.of("read", "write", "callback", "pva", "hot", "modify", "subs", "fanout");
  /**
   * Every scenario that may be asked for, in the order they run: the default ones, then {@code scale}, which starts
   * Redis Clusters of its own and takes minutes, so it runs only when named.
   */
  static final List<String> KNOWN = List.of("read", "write", "callback", "pva", "hot", "modify", "subs", "fanout",
      "scale");

  /**
   * Settings of the {@code scale} scenario: {@code services} services of {@code keywords} integer keywords each,
   * measured on a Redis Cluster of each of {@code masters} masters in turn, the dispatchers spread over
   * {@code endpoints} endpoints, at most {@code window} MODIFY requests (and as many stores from code) in flight; with
   * {@code light}, each dispatcher runs with one worker and one checker thread, a 15 s lease and a 5 s heartbeat, and
   * the endpoints with a 5 s Redis timeout ({@link ScaleScenario#LIGHT}), instead of the defaults.
   */
  record Scale(int services, int keywords, List<Integer> masters, int endpoints, int window, boolean light) {}

  static final String USAGE = """
      usage: scripts/bench.sh [options]     (or java -jar bench/target/bench.jar [options])
        --redis URL               use this Redis (redis://host:port/db) instead of starting an embedded one
        --seconds-per-round S     time each side runs per round (default 2)
        --rounds N                rounds per scenario (default 5)
        --warmup S                warm-up seconds per side (default 2)
        --scenarios a,b,c         any of %s,scale (default all but scale)
        --quick                   smoke run: 0.3 s rounds, 2 rounds, 0.3 s warm-up, small fan-out
        --out FILE                Markdown table (default bench/target/bench-result.md)
        --hot-subscribers N       clients subscribed to the hot keyword (default 4)
        --durable                 add a replica and the row of writes with durability replica (WAIT 1)
        --history N               the dispatchers' history length (default 100; 0: none)
      scale (only when named in --scenarios; starts its own Redis Clusters, ignores --redis):
        --scale-services N        services (default 1000)
        --scale-keywords N        integer keywords per service (default 100)
        --scale-masters a,b       masters of each cluster measured, in order (default 1,3)
        --scale-endpoints N       endpoints the dispatchers are spread over, as N processes would be (default 10)
        --scale-window N          MODIFY requests, and stores from code, in flight at most, in all (default 2000)
        --scale-light             dispatchers with 1 worker and 1 checker thread, 15 s lease, 5 s heartbeat, and a
                                  5 s Redis timeout, instead of the defaults (8, 4, 5 s, 1 s, 2 s)
      """.formatted(String.join(",", ALL));

  static BenchOptions parse(String[] args) {
    Optional<String> url = Optional.empty();
    double seconds = 2;
    int rounds = 5;
    double warmup = 2;
    boolean quick = false;
    int hotSubscribers = 4;
    boolean durable = false;
    int history = org.ktl4j.dispatcher.DispatcherConfig.DEFAULT_HISTORY_LENGTH;
    Path out = Path.of("bench", "target", "bench-result.md");
    int scaleServices = 1000;
    int scaleKeywords = 100;
    List<Integer> scaleMasters = List.of(1, 3);
    int scaleEndpoints = 10;
    int scaleWindow = 2000;
    boolean scaleLight = false;
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
        case "--history" -> history = Integer.parseInt(value(args, ++i, a));
        case "--out" -> out = Path.of(value(args, ++i, a));
        case "--scale-services" -> scaleServices = Integer.parseInt(value(args, ++i, a));
        case "--scale-keywords" -> scaleKeywords = Integer.parseInt(value(args, ++i, a));
        case "--scale-endpoints" -> scaleEndpoints = Integer.parseInt(value(args, ++i, a));
        case "--scale-window" -> scaleWindow = Integer.parseInt(value(args, ++i, a));
        case "--scale-light" -> scaleLight = true;
        case "--scale-masters" -> {
          List<Integer> m = new ArrayList<>();
          for (String x : value(args, ++i, a).split(",")) {
            m.add(Integer.parseInt(x.trim()));
          }
          scaleMasters = List.copyOf(m);
        }
        case "--scenarios" -> {
          scenarios.clear();
          for (String s : value(args, ++i, a).split(",")) {
            String n = s.trim().toLowerCase(Locale.ROOT);
            if (!KNOWN.contains(n)) {
              throw new IllegalArgumentException("unknown scenario '" + s + "'; known: " + String.join(",", KNOWN));
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
    if (seconds <= 0 || rounds < 1 || warmup < 0 || hotSubscribers < 0 || hotSubscribers > 100 || history < 0
        || history > org.ktl4j.dispatcher.DispatcherConfig.MAX_HISTORY_LENGTH) {
      throw new IllegalArgumentException("--seconds-per-round must be > 0, --rounds >= 1, --warmup >= 0, "
          + "--hot-subscribers 0 to 100, --history 0 to " + org.ktl4j.dispatcher.DispatcherConfig.MAX_HISTORY_LENGTH);
    }
    if (scaleServices < 1 || scaleKeywords < 1 || scaleEndpoints < 1 || scaleEndpoints > scaleServices
        || scaleWindow < 1 || scaleMasters.isEmpty() || scaleMasters.stream().anyMatch(m -> m < 1 || m > 16)) {
      throw new IllegalArgumentException("--scale-services, --scale-keywords and --scale-window must be >= 1, "
          + "--scale-endpoints 1 to --scale-services, --scale-masters 1 to 16 each");
    }
    List<String> ordered = new ArrayList<>();
    for (String s : KNOWN) {
      if (scenarios.contains(s)) {
        ordered.add(s);
      }
    }
    return new BenchOptions(url, Duration.ofMillis((long) (seconds * 1000)), rounds,
        Duration.ofMillis((long) (warmup * 1000)), List.copyOf(ordered), out, quick, hotSubscribers,
        durable, history, new Scale(scaleServices, scaleKeywords, scaleMasters, scaleEndpoints, scaleWindow,
        scaleLight));
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
