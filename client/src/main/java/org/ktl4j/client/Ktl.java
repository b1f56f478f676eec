package org.ktl4j.client;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ktl4j.internal.protocol.Names;

/**
 * The procedural facade for scripts, as KTL's {@code ktl.read}/{@code ktl.write}/{@code ktl.waitFor}: static
 * calls over services opened once and cached, on the process's shared pool ({@code SharedPool.configurePool},
 * else {@code KTL_REDIS_URL}, else localhost).
 *
 * <pre>{@code
 * String az = Ktl.read("telescope", "AZ");
 * Ktl.write("telescope", "AZ_TARGET", "120.5");
 * boolean there = Ktl.waitFor("($telescope.AZ > 120.4) and ($dome.SHUTTER == open)", Duration.ofMinutes(2));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class Ktl {
  private static final Map<String, Service> SERVICES = new ConcurrentHashMap<>();

  private Ktl() {}

  /** The cached service of that name, opened on first use. */
  public static Service service(String name) {
    return SERVICES.computeIfAbsent(Names.service(name), Service::open);
  }

  /** The current ascii value; throws {@link NeverSetException} if never set. */
  public static String read(String service, String keyword) {
    return service(service).keyword(keyword).readAscii();
  }

  /** The current binary value; throws {@link NeverSetException} if never set. */
  public static Object readBinary(String service, String keyword) {
    return service(service).keyword(keyword).readBinary();
  }

  /** Writes an ascii value and waits until it is stored (default timeout). */
  public static WriteResult write(String service, String keyword, String value) {
    return service(service).keyword(keyword).write(value);
  }

  /** Writes an ascii value and waits at most {@code timeout}. */
  public static WriteResult write(String service, String keyword, String value, Duration timeout) {
    return service(service).keyword(keyword).write(value, timeout);
  }

  /** Writes a binary value and waits until it is stored (default timeout). */
  public static WriteResult writeBinary(String service, String keyword, Object value) {
    return service(service).keyword(keyword).writeBinary(value);
  }

  /** Subscribes with a priming read. */
  public static Subscription monitor(String service, String keyword, KeywordListener listener) {
    return service(service).keyword(keyword).subscribe(listener);
  }

  /** Waits until a condition on one keyword holds ({@code "== ready"}); false on timeout. */
  public static boolean waitFor(String service, String keyword, String condition, Duration timeout) {
    return service(service).keyword(keyword).waitFor(condition, timeout);
  }

  /** Waits until an expression such as {@code "($telescope.AZ > 44.9) and ($dome.STATE == open)"} holds. */
  public static boolean waitFor(String expression, Duration timeout) {
    return Expression.parse(expression).waitFor(timeout);
  }

  /** Closes every cached service (their subscriptions end); the next call opens them again. */
  public static void reset() {
    for (String name : SERVICES.keySet()) {
      Service s = SERVICES.remove(name);
      if (s != null) {
        s.close();
      }
    }
  }
}
