package org.ktl4j.redis;

import java.time.Duration;
import java.util.function.Function;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.ktl4j.UnavailableException;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * One Redis server as ktl4j uses it: a pool of command connections and, created on first use, the process's
 * single pub/sub connection to it ({@link PubSubHub}). Behind Sentinel ({@code redis-sentinel://}) the server is the
 * current master: the pool follows failovers (Jedis asks the Sentinels and listens for {@code +switch-master}), and
 * every new pub/sub or stream connection goes to the master the Sentinels name at that moment.
 *
 * <p>Most code uses the process-wide endpoint from {@link SharedPool}; tests and programs that talk to
 * several Redis servers open their own with {@link #open(RedisSettings)}. Thread-safe. Opening is cheap (no
 * connection is made until the first command; behind Sentinel, the Sentinels are asked for the master at once); {@link #close()} closes the pool and the pub/sub connection
 * and stops their threads.
 */
public final class RedisEndpoint implements AutoCloseable {
  /**
   * Keep-alive interval of the pub/sub connection. A server that stops answering is noticed within
   * {@link PubSubHub#deadPeerBound(Duration, Duration)}: {@code max(3 × this, timeout + this)}, 3 s with the defaults.
   */
  public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(1);
  /** How often idle pooled connections are checked with a {@code PING}: 1 second. */
  public static final Duration IDLE_CHECK_INTERVAL = Duration.ofSeconds(1);
  /** Largest number of pooled command connections. */
  public static final int DEFAULT_MAX_CONNECTIONS = 32;

  private final RedisSettings settings;
  private final UnifiedJedis client;
  private final RedisClock clock = new RedisClock(this);
  private volatile PubSubHub hub;
  private volatile boolean closed;

  private RedisEndpoint(RedisSettings settings) {
    this.settings = settings;
    GenericObjectPoolConfig<Connection> pool = new ConnectionPoolConfig();
    pool.setMaxTotal(DEFAULT_MAX_CONNECTIONS);
    pool.setMaxIdle(DEFAULT_MAX_CONNECTIONS);
    pool.setMinIdle(0);
    pool.setMaxWait(settings.timeout()); // never wait forever for a pooled connection
    // check idle connections every second (a PING each, by commons-pool's evictor thread), not every 30 s: a
    // connection that Redis dropped while it sat idle (CLIENT KILL, a timeout) is then rarely handed out, and a
    // store sent on one is a store of unknown outcome that must be settled before its writer is answered
    pool.setTimeBetweenEvictionRuns(IDLE_CHECK_INTERVAL);
    pool.setJmxEnabled(false);
    if (settings.sentinel().isPresent()) {
      try { // asks the Sentinels for the master now (Jedis does so when it builds the pool)
        this.client = RedisSentinelClient.builder()
            .masterName(settings.sentinel().get().masterName())
            .sentinels(settings.sentinel().get().hostsAndPorts())
            .clientConfig(settings.clientConfig("ktl4j", Duration.ZERO))
            .sentinelClientConfig(settings.sentinelClientConfig())
            .poolConfig(pool)
            .build();
      } catch (JedisException e) {
        throw new UnavailableException("cannot find the Redis " + settings.address() + " ("
            + settings.redactedUrl() + "): " + rootMessage(e), e);
      }
    } else {
      this.client = RedisClient.builder()
          .hostAndPort(settings.hostAndPort())
          .clientConfig(settings.clientConfig("ktl4j", Duration.ZERO))
          .poolConfig(pool)
          .build();
    }
  }

  /** Where data connections go now: the server, or behind Sentinel the master the Sentinels last named. */
  HostAndPort currentAddress() {
    return client instanceof RedisSentinelClient s ? s.getCurrentMaster() : settings.hostAndPort();
  }

  /** {@code host:port} of {@link #currentAddress()}: behind Sentinel it changes at a failover. Cheap. */
  public String currentServer() {
    return currentAddress().toString();
  }

  /**
   * A new {@link CommandStream} to the server (behind Sentinel: to the current master), named {@code clientName}.
   *
   * @throws redis.clients.jedis.exceptions.JedisException if it cannot be opened
   */
  public CommandStream openStream(String clientName) {
    return CommandStream.open(settings, currentAddress(), clientName);
  }

  /** A new endpoint for {@code settings}; the caller owns it and must close it. */
  public static RedisEndpoint open(RedisSettings settings) {
    return new RedisEndpoint(settings);
  }

  /** Where this endpoint connects. */
  public RedisSettings settings() {
    return settings;
  }

  /** The pooled command client. Commands fail with Jedis exceptions; see {@link #call(String, Function)}. */
  public UnifiedJedis commands() {
    if (closed) {
      throw new IllegalStateException("Redis endpoint " + settings.redactedUrl() + " is closed");
    }
    return client;
  }

  /**
   * Runs an idempotent {@code command} on the pooled client, turning failures into an
   * {@link UnavailableException} that names the server and what was being done. A connection failure is
   * retried once on a fresh connection, because after a Redis restart every pooled connection is stale;
   * do not use it for commands that must not run twice (a MODIFY's PUBLISH).
   */
  public <T> T call(String what, Function<UnifiedJedis, T> command) {
    try {
      try {
        return command.apply(commands());
      } catch (JedisConnectionException e) {
        // pooled connections may predate a Redis restart: drop the idle ones and try once more
        clearIdleConnections();
        return command.apply(commands());
      }
    } catch (JedisException e) {
      throw translate(what, e);
    }
  }

  /** Closes the pool's idle connections (after a Redis restart they are all dead). */
  public void clearIdleConnections() {
    try {
      if (client instanceof RedisClient c) {
        c.getPool().clear();
      } else if (client instanceof RedisSentinelClient s) {
        s.getPrimaryNodesConnectionMap().values().forEach(p -> p.clear());
      }
    } catch (RuntimeException e) {
      // best effort
    }
  }

  /** Turns a Jedis failure into a ktl4j exception that names this server. */
  public RuntimeException translate(String what, JedisException e) {
    String where = "Redis at " + settings.address();
    if (e.getMessage() != null && e.getMessage().startsWith("NOPERM")) { // an ACL refusal, not a wrong password
      return new UnavailableException("cannot " + what + ": " + where + " refused it for the user "
          + settings.user().map(u -> "'" + u + "'").orElse("'default'") + " (its ACL does not allow it; see "
          + "'ktl acl' and docs/security.md): " + e.getMessage(), e);
    }
    if (e instanceof JedisAccessControlException
        || (e.getMessage() != null && (e.getMessage().contains("WRONGPASS") || e.getMessage().contains("NOAUTH")))) {
      return new UnavailableException("cannot " + what + ": " + where + " refused the credentials: " + e.getMessage(), e);
    }
    if (e instanceof JedisConnectionException) {
      java.util.Optional<String> tls = TlsFailure.explain(e, settings);
      if (tls.isPresent()) {
        return new UnavailableException(tls.get() + " (while trying to " + what + ")", e);
      }
      return new UnavailableException("cannot " + what + ": cannot reach " + where + " within "
          + settings.timeout().toMillis() + " ms: " + rootMessage(e), e);
    }
    if (e instanceof JedisDataException) {
      return new UnavailableException("cannot " + what + ": " + where + " answered with an error: " + e.getMessage(), e);
    }
    return new UnavailableException("cannot " + what + ": " + where + ": " + rootMessage(e), e);
  }

  /** The process's pub/sub connection to this server, started on first use. */
  public PubSubHub pubSub() {
    PubSubHub h = hub;
    if (h == null) {
      synchronized (this) {
        if (closed) {
          throw new IllegalStateException("Redis endpoint " + settings.redactedUrl() + " is closed");
        }
        h = hub;
        if (h == null) {
          h = new PubSubHub(settings, DEFAULT_PING_INTERVAL, this::currentAddress);
          h.addConnectionListener(new PubSubHub.ConnectionListener() {
            @Override
            public void onDisconnected(String reason) {
              clearIdleConnections(); // the server went away: its pooled connections are dead too
            }
          });
          hub = h;
        }
      }
    }
    return h;
  }

  /** The server's clock as seen from this process (for MODIFY deadlines). */
  public RedisClock clock() {
    return clock;
  }

  /** True once {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    PubSubHub h;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      h = hub;
    }
    if (h != null) {
      h.close();
    }
    client.close();
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
      if (t.getMessage() != null && !b.toString().contains(t.getMessage())) {
        b.append(" (").append(t.getMessage()).append(')');
      }
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return "RedisEndpoint[" + settings + "]";
  }
}
