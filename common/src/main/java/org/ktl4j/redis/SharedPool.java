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
  private static final java.util.List<AutoCloseable> USERS = new java.util.ArrayList<>(); // guarded by LOCK

  private SharedPool() {}

  /**
   * Records where Redis is. Nothing connects until first use.
   *
   * @throws IllegalStateException if the shared pool was already created
   */
  public static void configurePool(String host, int port, int db, Duration timeout) {
    configurePool(RedisSettings.of(host, port, db, timeout));
  }

  /**
   * Records a URL of any of ktl4j's forms ({@link RedisSettings#fromUri(String)}): {@code redis://}, {@code rediss://},
   * {@code redis-sentinel://host:port[,host:port…]/MASTER[/db]}, {@code redis-cluster://host:port[,host:port…]} (and
   * their TLS forms), the same text as {@code KTL_REDIS_URL}. Nothing connects until first use.
   *
   * @throws IllegalArgumentException if the URL is malformed (quoted without its password)
   * @throws IllegalStateException if the shared pool was already created
   */
  public static void configurePool(String url) {
    configurePool(RedisSettings.fromUri(url));
  }

  /** Records a URL, as {@link #configurePool(String)} (an IPv6 Sentinel or seed list needs the string form). */
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

  /** The shared endpoint if it has been created, else null (never creates it). */
  public static RedisEndpoint endpointIfCreated() {
    return endpoint;
  }

  /**
   * Registers something that uses the shared pool and must be closed before it (a dispatcher, which still
   * writes its status and releases its lease when it closes). At JVM exit, and on {@link #reset()}, such users
   * are closed first, newest first, then the pool; JVM shutdown hooks run concurrently, so without this a
   * dispatcher closed from another hook could find the pool already gone.
   */
  public static void closeBeforePool(AutoCloseable user) {
    synchronized (LOCK) {
      USERS.add(user);
    }
  }

  /** Forgets a user registered with {@link #closeBeforePool} (it closed by itself). */
  public static void forget(AutoCloseable user) {
    synchronized (LOCK) {
      USERS.remove(user);
    }
  }

  /** True once the shared pool has been created. */
  public static boolean isCreated() {
    return endpoint != null;
  }

  /** Closes the users registered with {@link #closeBeforePool}, then the shared pool (if any), and forgets the configured settings. */
  public static void reset() {
    java.util.List<AutoCloseable> users;
    synchronized (LOCK) {
      users = new java.util.ArrayList<>(USERS);
    }
    java.util.Collections.reverse(users);
    for (AutoCloseable u : users) {
      try {
        u.close(); // outside the lock: a closing user calls forget()
      } catch (Exception ex) {
        org.slf4j.LoggerFactory.getLogger(SharedPool.class).warn("closing {} before the shared pool failed: {}", u,
            ex.toString());
      }
    }
    RedisEndpoint e;
    synchronized (LOCK) {
      USERS.clear();
      e = endpoint;
      endpoint = null;
      configured = null;
    }
    if (e != null) {
      e.close();
    }
  }
}
