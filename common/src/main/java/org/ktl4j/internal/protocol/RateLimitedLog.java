package org.ktl4j.internal.protocol;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * A warning about input from Redis that anyone may cause, logged at most once per interval however often it
 * happens: the first occurrence is logged in full, the next one logged after the interval says how many were
 * suppressed meanwhile. The key is the call site (one instance per kind of problem), never text from the input,
 * so senders cannot multiply the lines; the message must escape what it quotes ({@link Names#printable}).
 *
 * <p>Thread-safe and lock-free; a suppressed occurrence costs two atomic operations and builds no message.
 */
public final class RateLimitedLog {
  private final Logger log;
  private final long intervalNanos;
  private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();

  /** Logs to {@code log} at most once per {@code interval}. */
  public RateLimitedLog(Logger log, Duration interval) {
    this.log = log;
    this.intervalNanos = interval.toNanos();
  }

  /** Logs {@code message} as a warning unless one was logged less than an interval ago. */
  public void warn(Supplier<String> message) {
    long now = System.nanoTime();
    long due = next.get();
    if ((due != Long.MIN_VALUE && now - due < 0) || !next.compareAndSet(due, now + intervalNanos)) {
      suppressed.incrementAndGet();
      return;
    }
    long n = suppressed.getAndSet(0);
    log.warn("{}{}", message.get(), n == 0 ? "" : " (" + n + " more like it suppressed since the last such warning)");
  }
}
