package org.ktl4j.redis;

import java.net.URI;
import java.time.Duration;

/**
 * The Redis connection shared by every client and dispatcher in the process.
 *
 * <p>{@code configurePool(...)} only records settings; the pool (Jedis on commons-pool2) and the pub/sub
 * connection are created on first use, shared by everything in the process, and closed at JVM shutdown.
 * When nothing was configured, {@code KTL_REDIS_URL} is used, then {@code redis://localhost:6379/0}.
 *
 * <p>Thread-safe. Configuring after the pool exists is an {@link IllegalStateException}: call
 * {@link #reset()} first (it closes the current pool).
 */
public final class SharedPool {
  private static final Object LOCK = new Object();
  private static RedisSettings configured;
  private static volatile RedisEndpoint endpoint;
  private static boolean hookInstalled;

  private SharedPool() {}

  /**
   * Records where Redis is. Nothing connects until first use.
   *
   * @throws IllegalStateException if the shared pool was already created
   */
  public static void configurePool(String host, int port, int db, Duration timeout) {
    configurePool(RedisSettings.of(host, port, db, timeout));
  }

  /** Records a {@code redis://[user:password@]host:port/db} or {@code rediss://} URL. */
  public static void configurePool(URI uri) {
    configurePool(RedisSettings.fromUri(uri));
  }

  /** Records settings. */
  public static void configurePool(RedisSettings settings) {
    synchronized (LOCK) {
      if (endpoint != null) {
        throw new IllegalStateException("the shared Redis pool already exists (connected to "
            + endpoint.settings().redactedUrl() + "); call SharedPool.reset() before configuring it again");
      }
      configured = settings;
    }
  }

  /** The settings in force: configured ones, else {@code KTL_REDIS_URL}, else localhost:6379/0. */
  public static RedisSettings settings() {
    synchronized (LOCK) {
      RedisEndpoint e = endpoint;
      if (e != null) {
        return e.settings();
      }
      return configured != null ? configured : RedisSettings.fromEnvironment();
    }
  }

  /** The shared endpoint, created on first call. */
  public static RedisEndpoint endpoint() {
    RedisEndpoint e = endpoint;
    if (e != null) {
      return e;
    }
    synchronized (LOCK) {
      if (endpoint == null) {
        endpoint = RedisEndpoint.open(configured != null ? configured : RedisSettings.fromEnvironment());
        if (!hookInstalled) {
          hookInstalled = true;
          Runtime.getRuntime().addShutdownHook(new Thread(SharedPool::reset, "ktl-pool-shutdown"));
        }
      }
      return endpoint;
    }
  }

  /** True once the shared pool has been created. */
  public static boolean isCreated() {
    return endpoint != null;
  }

  /** Closes the shared pool (if any) and forgets the configured settings. */
  public static void reset() {
    RedisEndpoint e;
    synchronized (LOCK) {
      e = endpoint;
      endpoint = null;
      configured = null;
    }
    if (e != null) {
      e.close();
    }
  }
}
