package org.ktl4j.dispatcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.internal.protocol.Names;
import org.ktl4j.type.KtlType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keywords of one dispatcher, in definition order, with its built-ins: the heartbeat ({@code DISPCLK}), the
 * status ({@code DISPSTA}) and, unless turned off, the statistics keywords ({@link DispatcherStatistics}). Built once, never changed: lookups are lock-free map reads (the pub/sub
 * reader thread does one per request). Thread-safe.
 */
final class KeywordRegistry {
  private static final Logger log = LoggerFactory.getLogger(KeywordRegistry.class);
  /** The status keyword's values, in enumerator order (protocol: "Start-up"). */
  static final List<String> STATUS_LABELS = List.of("starting", "ready", "stopping", "broadcasts-off");

  private final String service;
  private final Map<String, DispatcherKeyword> keywords;
  private final DispatcherKeyword heartbeat;
  private final DispatcherKeyword status;

  /**
   * @param factory makes a keyword from its definition; the flag says whether it is a built-in
   * @throws IllegalArgumentException for a keyword defined twice or named like a built-in
   */
  KeywordRegistry(String service, List<KeywordDefinition> definitions, DispatcherConfig config,
      BiFunction<KeywordDefinition, Boolean, DispatcherKeyword> factory) {
    this.service = service;
    Map<String, DispatcherKeyword> map = new LinkedHashMap<>();
    for (KeywordDefinition d : definitions) {
      if (map.put(d.name(), factory.apply(d, false)) != null) {
        throw new IllegalArgumentException("service " + service + ": keyword " + d.name() + " is defined twice");
      }
    }
    String hb = Names.keyword(config.heartbeatKeyword());
    String st = Names.keyword(config.statusKeyword());
    for (String builtIn : List.of(hb, st)) {
      if (map.containsKey(builtIn)) {
        throw new IllegalArgumentException("service " + service + ": keyword " + builtIn
            + " is a built-in keyword of the dispatcher; rename it or choose other built-in names");
      }
    }
    List<KeywordDefinition> statistics = DispatcherStatistics.definitions(config);
    for (KeywordDefinition d : statistics) {
      if (map.containsKey(d.name()) || d.name().equals(hb) || d.name().equals(st)) {
        throw new IllegalArgumentException("service " + service + ": keyword " + d.name() + " is a statistics "
            + "keyword of the dispatcher (" + String.join(", ", DispatcherStatistics.NAMES) + "); rename it, or turn "
            + "the dispatcher's statistics off (statistics period 0, ktl dispatcher --stats-period 0)");
      }
    }
    this.heartbeat = factory.apply(KeywordDefinition.builder(hb, KtlType.INT64).units("s")
        .help("Dispatcher heartbeat: epoch seconds, updated every " + config.heartbeatPeriod().toMillis() + " ms")
        .readonly(true).build(), true);
    this.status = factory.apply(KeywordDefinition.builder(st, KtlType.ENUMERATED)
        .labels(STATUS_LABELS.toArray(new String[0])).help("Dispatcher status").readonly(true).build(), true);
    map.put(hb, heartbeat);
    map.put(st, status);
    for (KeywordDefinition d : statistics) {
      map.put(d.name(), factory.apply(d, true));
    }
    this.keywords = Collections.unmodifiableMap(map);
  }

  /** Looks a keyword up by its name as received; null if there is none. */
  DispatcherKeyword lookup(String keyword) {
    if (keyword == null) {
      return null;
    }
    DispatcherKeyword kw = keywords.get(keyword);
    return kw != null ? kw : keywords.get(Names.toUpperAscii(keyword)); // ASCII case only: 'ﬁlter' is not FILTER
  }

  /**
   * A keyword (case-insensitive).
   *
   * @throws IllegalArgumentException naming the service and its keywords if there is none
   */
  DispatcherKeyword get(String keyword) {
    DispatcherKeyword kw = lookup(keyword);
    if (kw == null) {
      throw new IllegalArgumentException("service " + service + " has no keyword '" + Names.printable(keyword)
          + "'; it has: " + String.join(", ", keywords.keySet()));
    }
    return kw;
  }

  /**
   * Waits, at most {@code timeout}, until every task queued now on each keyword's chosen queue has run (a
   * barrier task per keyword); logs and returns when the wait runs out.
   */
  void awaitQueues(Function<DispatcherKeyword, SerialExecutor> queue, Duration timeout) throws InterruptedException {
    List<CompletableFuture<Void>> barriers = new ArrayList<>();
    for (DispatcherKeyword kw : keywords.values()) {
      CompletableFuture<Void> f = new CompletableFuture<>();
      queue.apply(kw).execute(() -> f.complete(null));
      barriers.add(f);
    }
    try {
      CompletableFuture.allOf(barriers.toArray(new CompletableFuture[0])).get(Math.max(1, timeout.toMillis()),
          TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      log.warn("service {}: requests or stores still pending after {} ms", service, timeout.toMillis());
    }
  }

  Collection<DispatcherKeyword> all() {
    return keywords.values();
  }

  int size() {
    return keywords.size();
  }

  DispatcherKeyword heartbeat() {
    return heartbeat;
  }

  DispatcherKeyword status() {
    return status;
  }
}
