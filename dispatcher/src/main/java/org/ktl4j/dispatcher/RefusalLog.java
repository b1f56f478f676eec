package org.ktl4j.dispatcher;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of requests a dispatcher refused, dropped or could not answer, bounded by what the dispatcher controls
 * and not by what senders choose: per {@link Kind} (and, for kinds about one of the service's own keywords, per
 * keyword), the first occurrence in each summary period is logged in full and the rest only counted; every period
 * ({@link #summarize()}, once a minute) one line per kind says how many there were. So 100,000 bad messages
 * cost a few lines, whatever their {@code client}, {@code reply} or content. The detail line is built only when it
 * is logged; every field in it must already be escaped ({@code Names.printable}).
 *
 * <p>Thread-safe and lock-free: counting is two atomic increments; the key space is the closed set of kinds times
 * the service's keywords.
 */
final class RefusalLog {
  private static final Logger log = LoggerFactory.getLogger(RefusalLog.class);

  /** What happened to a request, as far as the log is concerned. */
  enum Kind {
    MALFORMED("malformed messages ignored (not answered)"),
    OVERSIZED("oversized messages discarded unread (not answered)"),
    BAD_REPLY_CHANNEL("requests naming a reply channel not of this service ignored (not answered)"),
    BAD_REQUEST("requests refused as BAD_REQUEST"),
    NO_SUCH_KEYWORD("requests for no keyword of this service refused"),
    EXPIRED("requests refused as EXPIRED"),
    BUSY("requests refused as BUSY"),
    FENCED("requests not served while the lease was not provably held"),
    UNANSWERED("fire-and-forget requests refused"),
    REPLY_LOST("replies not sent"),
    WRITE_FAILED("writes failed in their write hook");

    final String summary;

    Kind(String summary) {
      this.summary = summary;
    }
  }

  private static final class Counter {
    final AtomicLong sincePeriod = new AtomicLong();
    final AtomicLong total = new AtomicLong();
  }

  private final String service;
  private final Map<Kind, Counter> byKind = new EnumMap<>(Kind.class);
  private final ConcurrentHashMap<String, Counter> byKeyword = new ConcurrentHashMap<>();

  RefusalLog(String service) {
    this.service = service;
    for (Kind k : Kind.values()) {
      byKind.put(k, new Counter());
    }
  }

  /**
   * Counts one occurrence; logs {@code detail} if it is the first of its kind (and keyword) this period.
   *
   * @param keyword one of the service's own keywords, or null: never a name taken from a request that was not found;
   *                counted apart only for {@link Kind#WRITE_FAILED}
   */
  void record(Kind kind, String keyword, Supplier<String> detail) {
    // only a failed write hook is worth a line per keyword (hardware): the rest per category, whoever sends them
    Counter c = keyword == null || kind != Kind.WRITE_FAILED ? byKind.get(kind) : byKeyword.computeIfAbsent(kind + "/" + keyword, k -> new Counter());
    c.total.incrementAndGet();
    if (c.sincePeriod.getAndIncrement() == 0) {
      log.warn("service {}: {}", service, detail.get());
    }
  }

  /** How many of a kind were recorded since start, over every keyword. */
  long total(Kind kind) {
    long n = byKind.get(kind).total.get();
    String prefix = kind + "/";
    for (Map.Entry<String, Counter> e : byKeyword.entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        n += e.getValue().total.get();
      }
    }
    return n;
  }

  /** Logs one line per kind (and keyword) with occurrences not logged in full this period, and starts a new one. */
  void summarize() {
    for (Map.Entry<Kind, Counter> e : byKind.entrySet()) {
      summarize(e.getKey(), null, e.getValue());
    }
    for (Map.Entry<String, Counter> e : byKeyword.entrySet()) {
      String key = e.getKey();
      int slash = key.indexOf('/');
      summarize(Kind.valueOf(key.substring(0, slash)), key.substring(slash + 1), e.getValue());
    }
  }

  private void summarize(Kind kind, String keyword, Counter c) {
    long n = c.sincePeriod.getAndSet(0);
    if (n > 1) {
      log.warn("service {}: {} {}{} in the last minute (the first logged in full; {} since start)", service,
          String.format("%,d", n), kind.summary, keyword == null ? "" : " for " + keyword,
          String.format("%,d", c.total.get()));
    }
  }
}
