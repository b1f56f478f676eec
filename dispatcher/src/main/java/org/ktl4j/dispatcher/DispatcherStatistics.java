package org.ktl4j.dispatcher;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.ErrorCode;
import org.ktl4j.type.KtlType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dispatcher's health, counted on the request path and published every period as read-only built-in keywords of
 * the service, so that any client can read, show or subscribe to them like any other keyword:
 * {@value #REQUESTS} (MODIFY messages received), {@value #RATE} (of them per second over the last period),
 * {@value #REFUSED} (refusals by {@link ErrorCode}, one array element per code), {@value #P99} (99th percentile of
 * the time from a request's arrival to its answer over the last period) and {@value #QUEUE} (most requests admitted
 * and not yet answered during the last period). Each is set from code, so it is stored only when it changed.
 *
 * <p>Thread-safe. Cost on the request path: a {@link LongAdder} increment per request and per refusal, one clock
 * reading on arrival and one on answer, one atomic increment in a {@link LatencyHistogram}; no lock, no allocation.
 * When the configured period is zero it counts nothing and the keywords do not exist. {@link #publish} runs once at
 * start-up, then on the dispatcher's timer thread only; publishing costs five {@code set}s a period, each stored only
 * when its value changed.
 */
final class DispatcherStatistics {
  private static final Logger log = LoggerFactory.getLogger(DispatcherStatistics.class);

  /** Total MODIFY messages received since start. */
  static final String REQUESTS = "DISPREQS";
  /** Requests per second over the last period. */
  static final String RATE = "DISPRATE";
  /** Refusals by code since start: an int64 array, one element per {@link ErrorCode}, labelled with its name. */
  static final String REFUSED = "DISPREFUSED";
  /** 99th percentile of request time over the last period, in milliseconds. */
  static final String P99 = "DISPP99";
  /** Most requests waiting during the last period. */
  static final String QUEUE = "DISPQUEUE";
  /** The names, reserved in every service whose dispatcher publishes statistics. */
  static final List<String> NAMES = List.of(REQUESTS, RATE, REFUSED, P99, QUEUE);

  private static final ErrorCode[] CODES = ErrorCode.values();

  private final String service;
  private final boolean enabled;
  private final int queueBound;
  private final LongAdder requests = new LongAdder();
  private final LongAdder[] refusals = new LongAdder[CODES.length];
  private final LatencyHistogram times = new LatencyHistogram();
  private final AtomicInteger peakQueued = new AtomicInteger();
  // timer thread only
  private long lastRequests;
  private long lastNanos;

  DispatcherStatistics(String service, DispatcherConfig config) {
    this.service = service;
    this.enabled = !config.statisticsPeriod().isZero();
    this.queueBound = config.maxQueuedRequests();
    for (int i = 0; i < refusals.length; i++) {
      refusals[i] = new LongAdder();
    }
  }

  /** Whether statistics are counted and published (a non-zero period). */
  boolean enabled() {
    return enabled;
  }

  /**
   * The definitions of the statistics keywords, read-only, with help and units, for a dispatcher configured with
   * {@code config}; none when its statistics are off.
   */
  static List<KeywordDefinition> definitions(DispatcherConfig config) {
    if (config.statisticsPeriod().isZero()) {
      return List.of();
    }
    String every = "updated every " + config.statisticsPeriod().toMillis() + " ms";
    String[] codes = Arrays.stream(CODES).map(Enum::name).toArray(String[]::new);
    return List.of(
        KeywordDefinition.builder(REQUESTS, KtlType.INT64).readonly(true)
            .help("Dispatcher statistics: MODIFY requests received since the dispatcher started, refused ones "
                + "included; " + every).build(),
        KeywordDefinition.builder(RATE, KtlType.DOUBLE).units("1/s").format("%.1f").readonly(true)
            .help("Dispatcher statistics: MODIFY requests received per second over the last period; " + every)
            .build(),
        KeywordDefinition.builder(REFUSED, KtlType.INT64_ARRAY).length(codes.length).elementLabels(codes)
            .readonly(true)
            .help("Dispatcher statistics: requests refused since the dispatcher started, one element per error "
                + "code (messages too broken to answer count as BAD_REQUEST); " + every).build(),
        KeywordDefinition.builder(P99, KtlType.DOUBLE).units("ms").format("%.3f").readonly(true)
            .help("Dispatcher statistics: 99th percentile of the time from a request's arrival at the dispatcher "
                + "to its answer, over the requests answered in the last period (0 when none; refusals answered "
                + "on arrival not included); " + every).build(),
        KeywordDefinition.builder(QUEUE, KtlType.INTEGER).range(0, config.maxQueuedRequests()).readonly(true)
            .help("Dispatcher statistics: most requests admitted and not yet answered at any moment of the last "
                + "period; beyond " + config.maxQueuedRequests() + " requests are refused BUSY; " + every).build());
  }

  /** A message arrived on the modify channel (fence markers excepted). Reader thread. */
  void request() {
    if (enabled) {
      requests.increment();
    }
  }

  /** A request was refused with {@code code}, whether or not its refusal could be sent. */
  void refused(ErrorCode code) {
    if (enabled) {
      refusals[code.ordinal()].increment();
    }
  }

  /** A request admitted at {@code arrivedNanos} ({@link System#nanoTime()}) has been answered now. */
  void answered(long arrivedNanos) {
    if (enabled) {
      times.record(System.nanoTime() - arrivedNanos);
    }
  }

  /** {@code n} requests are admitted and not yet answered. Reader thread (the only one that admits). */
  void queued(int n) {
    if (enabled && n > peakQueued.get()) {
      peakQueued.set(n); // one writer: no lost maximum but against the reset in publish, which reads n anew
    }
  }

  /** Requests received since start. */
  long requests() {
    return requests.sum();
  }

  /** Refusals with {@code code} since start. */
  long refusals(ErrorCode code) {
    return refusals[code.ordinal()].sum();
  }

  /**
   * Sets the statistics keywords of {@code registry} from the counts since the previous call; {@code queuedNow} is
   * the number of requests waiting now. Start-up, then the timer thread; never throws (a failure is logged and the
   * next period tries again).
   */
  void publish(KeywordRegistry registry, int queuedNow) {
    if (!enabled) {
      return;
    }
    try {
      long now = System.nanoTime();
      long total = requests.sum();
      double rate = lastNanos == 0 ? 0 : (total - lastRequests) * 1e9 / Math.max(1, now - lastNanos);
      lastRequests = total;
      lastNanos = now;
      long[] refused = new long[refusals.length];
      for (int i = 0; i < refused.length; i++) {
        refused[i] = refusals[i].sum();
      }
      int queued = Math.min(queueBound, Math.max(queuedNow, peakQueued.getAndSet(0)));
      double p99 = times.interval().percentile(99) / 1e6;
      registry.get(REQUESTS).setBinary(total);
      registry.get(RATE).setBinary(rate);
      registry.get(REFUSED).setBinary(refused);
      registry.get(P99).setBinary(p99);
      registry.get(QUEUE).setBinary(Math.max(0, queued));
    } catch (RuntimeException e) {
      log.warn("service {}: statistics not published this period: {}", service, ModifyHandler.reason(e));
    }
  }
}
