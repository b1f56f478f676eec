package org.ktl4j.internal.redis;

import java.time.Duration;
import java.util.function.Function;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.ktl4j.UnavailableException;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.redis.SharedPool;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisAskDataException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * One Redis deployment as ktl4j uses it (behind the public {@link RedisEndpoint}, whose handle holds one): a pool of command connections and, created on first use, the process's
 * single pub/sub connection to each server ({@link PubSub}). Behind Sentinel ({@code redis-sentinel://}) the server
 * is the current master: the pool follows failovers (Jedis asks the Sentinels and listens for
 * {@code +switch-master}), and every new pub/sub or stream connection goes to the master the Sentinels name at that
 * moment. On a Redis Cluster ({@code redis-cluster://}) each command goes to the master of its key's slot (Jedis
 * follows {@code MOVED} and {@code ASK}), and a service, whose every key and channel carries the hash tag
 * {@code {svc}}, is served by the master of its slot: {@link #currentServer(String)} names it, {@link #publish} sends
 * a service channel's message there ({@code SPUBLISH}), and {@link ClusterPubSub} subscribes there.
 *
 * <p>Most code uses the process-wide endpoint from {@link SharedPool}; tests and programs that talk to
 * several Redis servers open their own with {@link #open(RedisSettings)}. Thread-safe. Opening is cheap (no
 * connection is made until the first command; behind Sentinel, the Sentinels are asked for the master at once); {@link #close()} closes the pool and the pub/sub connection
 * and stops their threads.
 */
public final class RedisConnections implements AutoCloseable {
  /**
   * Keep-alive interval of the pub/sub connection. A server that stops answering is noticed within
   * {@link PubSubHub#deadPeerBound(Duration, Duration)}: {@code max(3 × this, timeout + this)}, 3 s with the defaults.
   */
  public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(1);
  /** How often idle pooled connections are checked with a {@code PING}: 1 second. */
  public static final Duration IDLE_CHECK_INTERVAL = Duration.ofSeconds(1);
  /** Largest number of pooled command connections (per node on a cluster). */
  public static final int DEFAULT_MAX_CONNECTIONS = 32;
  /** How many times a command on a cluster is sent, following {@code MOVED}/{@code ASK} or a node's failure. */
  static final int MAX_CLUSTER_ATTEMPTS = 3;

  private final RedisSettings settings;
  private final UnifiedJedis client;
  private final ClusterConnectionProvider cluster; // null unless a cluster
  private final RedisClock clock = new RedisClock(this);
  private volatile PubSub hub;
  private volatile boolean closed;

  private RedisConnections(RedisSettings settings) {
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
            .sentinels(JedisSettings.sentinels(settings.sentinel().get()))
            .clientConfig(JedisSettings.clientConfig(settings, "ktl4j", Duration.ZERO))
            .sentinelClientConfig(JedisSettings.sentinelClientConfig(settings))
            .poolConfig(pool)
            .build();
      } catch (JedisException e) {
        throw new UnavailableException("cannot find the Redis " + settings.address() + " ("
            + settings.redactedUrl() + "): " + rootMessage(e), e);
      }
      this.cluster = null;
    } else if (settings.cluster().isPresent()) {
      try { // reads the slot map from the first seed node that answers
        this.cluster = new ClusterConnectionProvider(JedisSettings.seeds(settings.cluster().get()),
            JedisSettings.clientConfig(settings, "ktl4j", Duration.ZERO), pool, null);
      } catch (JedisException e) {
        throw new UnavailableException("cannot reach the Redis " + settings.address() + " (" + settings.redactedUrl()
            + "): " + rootMessage(e), e);
      }
      this.client = RedisClusterClient.builder()
          .connectionProvider(cluster)
          .nodes(JedisSettings.seeds(settings.cluster().get())) // required by the builder; the provider above is used
          .clientConfig(JedisSettings.clientConfig(settings, "ktl4j", Duration.ZERO))
          // a command that meets MOVED or a dead node is retried, after reading the slot map again, within one timeout
          .maxAttempts(MAX_CLUSTER_ATTEMPTS)
          .maxTotalRetriesDuration(settings.timeout())
          .build();
    } else {
      this.cluster = null;
      this.client = RedisClient.builder()
          .hostAndPort(JedisSettings.hostAndPort(settings))
          .clientConfig(JedisSettings.clientConfig(settings, "ktl4j", Duration.ZERO))
          .poolConfig(pool)
          .build();
    }
  }

  /** Where data connections go now: the server, or behind Sentinel the master the Sentinels last named. */
  HostAndPort currentAddress() {
    return client instanceof RedisSentinelClient s ? s.getCurrentMaster() : JedisSettings.hostAndPort(settings);
  }

  /**
   * The server that holds {@code key} now: on a cluster the master of its slot as the slot map last said (changes at
   * a slot migration or a failover); otherwise the server, or behind Sentinel the current master. Cheap (no I/O).
   *
   * @throws UnavailableException on a cluster whose slot map names no master for that slot
   */
  HostAndPort serverOf(String key) {
    if (cluster == null) {
      return currentAddress();
    }
    HostAndPort node = cluster.getNode(JedisClusterCRC16.getSlot(key));
    if (node == null) {
      throw new UnavailableException("no node of the Redis " + settings.address() + " serves the slot of '" + key
          + "' now");
    }
    return node;
  }

  /**
   * {@code host:port} of the server that holds {@code key} now: the server, behind Sentinel the current master, on a
   * cluster the master of the key's slot as the slot map last said (it changes at a failover or a slot migration).
   * Cheap (no I/O).
   *
   * @throws UnavailableException on a cluster whose slot map names no master for that slot
   */
  public String currentServer(String key) {
    return serverOf(key).toString();
  }

  /** Whether this is a Redis Cluster ({@code redis-cluster://}): service channels are then shard channels. */
  public boolean isCluster() {
    return cluster != null;
  }

  /**
   * A new {@link CommandStream} to the server that holds {@code key} now ({@link #currentServer(String)}), named
   * {@code clientName}.
   *
   * @throws redis.clients.jedis.exceptions.JedisException if it cannot be opened
   */
  public CommandStream openStream(String clientName, String key) {
    return CommandStream.open(settings, serverOf(key), clientName);
  }

  /**
   * Sends one command to the server that holds {@code key} (on a cluster: the master of its slot, following
   * {@code MOVED}; never to every node, as Jedis's cluster client does with {@code CONFIG SET} or
   * {@code SCRIPT LOAD}), for keyless commands that concern a service: {@code INFO}, {@code CONFIG},
   * {@code SCRIPT LOAD}, {@code TIME}. Returns the raw reply (bulk strings as {@code byte[]}).
   *
   * @throws JedisException if it failed
   */
  public Object commandAt(String key, ProtocolCommand command, String... args) {
    if (cluster == null) {
      return commands().sendCommand(command, args);
    }
    CommandArguments a = new CommandArguments(command).addObjects((Object[]) args);
    return onMaster(JedisClusterCRC16.getSlot(key), c -> c.executeCommand(a));
  }

  /**
   * Runs {@code command} once on a connection to the master of {@code slot}, following {@code MOVED} and {@code ASK}
   * (which mean it did not run) to the node they name; never again after any other failure. Cluster only.
   */
  private <T> T onMaster(int slot, Function<Connection, T> command) {
    HostAndPort target = null;
    boolean asking = false;
    for (int attempt = 1; ; attempt++) {
      try (Connection c = target == null ? cluster.getConnectionFromSlot(slot) : cluster.getConnection(target)) {
        if (asking) {
          c.executeCommand(Protocol.Command.ASKING);
        }
        return command.apply(c);
      } catch (JedisRedirectionException e) {
        if (attempt >= MAX_CLUSTER_ATTEMPTS) {
          throw e;
        }
        target = e.getTargetNode(); // not run: send it where the slot is now, as a cluster client does
        asking = e instanceof JedisAskDataException;
        if (!asking) {
          cluster.renewSlotCache();
        }
      }
    }
  }

  /**
   * Publishes {@code message} on a service channel (a MODIFY or reply channel), once: {@code PUBLISH}, or on a
   * cluster {@code SPUBLISH} on the master of the channel's slot, following {@code MOVED} (which means it was not
   * published) but never repeating a publish whose outcome is unknown. Returns the number of subscribers that
   * received it (on a cluster: on that node).
   *
   * @throws JedisException if it failed, or may have failed
   */
  public long publish(String channel, String message) {
    if (cluster == null) {
      return commands().publish(channel, message);
    }
    CommandArguments a = new CommandArguments(Protocol.Command.SPUBLISH).add(channel).add(message);
    return (Long) onMaster(JedisClusterCRC16.getSlot(channel), c -> c.executeCommand(a));
  }

  /**
   * Queues on {@code pipeline} (one of {@link #commands()}) the publish of {@code message} on a service channel:
   * {@code PUBLISH}, or on a cluster {@code SPUBLISH}, which the pipeline sends to the master of the channel's slot.
   */
  public void publish(AbstractPipeline pipeline, String channel, String message) {
    if (cluster == null) {
      pipeline.publish(channel, message);
    } else {
      pipeline.sendCommand(new CommandArguments(Protocol.Command.SPUBLISH).key(channel).add(message));
    }
  }

  /**
   * Reads a cluster's slot map again on a pooled connection (one {@code CLUSTER SLOTS}); when that node does not
   * answer, as Jedis does, from the seeds and the other nodes, each on a new connection.
   */
  private void refreshSlotMap() {
    try (Connection c = cluster.getConnection()) {
      cluster.renewSlotCache(c);
    } catch (JedisException e) {
      cluster.renewSlotCache();
    }
  }

  /** A new endpoint for {@code settings}; the caller owns it and must close it. */
  public static RedisConnections open(RedisSettings settings) {
    return new RedisConnections(settings);
  }

  private static volatile Function<RedisEndpoint, RedisConnections> unwrap;

  /**
   * Tells how to reach the connections behind a {@link RedisEndpoint} (the public handle keeps them private); called
   * once, by {@link RedisEndpoint}'s class initializer.
   *
   * @throws IllegalStateException if called again, or by another class
   */
  public static synchronized void unwrapWith(Function<RedisEndpoint, RedisConnections> how) {
    Class<?> caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass();
    if (unwrap != null || caller != RedisEndpoint.class) {
      throw new IllegalStateException("RedisConnections.unwrapWith is called once, by RedisEndpoint");
    }
    unwrap = how;
  }

  /** The connections behind {@code endpoint}. */
  public static RedisConnections of(RedisEndpoint endpoint) {
    java.util.Objects.requireNonNull(endpoint, "endpoint");
    return unwrap.apply(endpoint); // set when RedisEndpoint was initialized, as it is once one exists
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
      } else if (cluster != null) {
        cluster.getNodes().values().forEach(p -> p.clear());
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

  /**
   * The process's pub/sub connection to this server (a {@link PubSubHub}), or on a cluster its connections to the
   * nodes in use (a {@link ClusterPubSub}); started on first use.
   */
  public PubSub pubSub() {
    PubSub h = hub;
    if (h == null) {
      synchronized (this) {
        if (closed) {
          throw new IllegalStateException("Redis endpoint " + settings.redactedUrl() + " is closed");
        }
        h = hub;
        if (h == null) {
          h = cluster != null
              ? new ClusterPubSub(settings, DEFAULT_PING_INTERVAL, cluster::getNode, this::refreshSlotMap)
              : new PubSubHub(settings, DEFAULT_PING_INTERVAL, this::currentAddress);
          h.addConnectionListener(new PubSub.ConnectionListener() {
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
    PubSub h;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      h = hub;
    }
    if (h instanceof PubSubHub one) {
      one.close();
    } else if (h instanceof ClusterPubSub nodes) {
      nodes.close();
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
    return "RedisConnections[" + settings + "]";
  }
}
