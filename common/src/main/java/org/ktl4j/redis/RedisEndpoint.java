package org.ktl4j.redis;

import org.ktl4j.internal.redis.RedisConnections;

/**
 * One Redis deployment as a program uses it: a server, a Sentinel-watched master or a Redis Cluster, with a pool of
 * command connections and, on first use, the process's single pub/sub connection to each server. Services and
 * dispatchers opened on the same endpoint share its connections; most programs need none of their own and use the
 * process-wide one that {@link SharedPool#configurePool} describes. Open one with {@link #open(RedisSettings)} to
 * talk to another Redis, and pass it to {@code Service.open(name, endpoint)} or
 * {@code DispatcherService.builder(name).endpoint(endpoint)}.
 *
 * <p>Thread-safe. Opening is cheap (no connection is made until the first command; behind Sentinel the Sentinels are
 * asked for the master at once); {@link #close()} closes the pool and the pub/sub connections and stops their
 * threads. Reconnection is the endpoint's job: a dropped connection is made again, and subscriptions resumed.
 */
public final class RedisEndpoint implements AutoCloseable {
  static {
    RedisConnections.unwrapWith(e -> e.connections);
  }

  private final RedisConnections connections;

  private RedisEndpoint(RedisConnections connections) {
    this.connections = connections;
  }

  /**
   * A new endpoint for {@code settings}; the caller owns it and must close it.
   *
   * @throws org.ktl4j.UnavailableException behind Sentinel or on a cluster, when no Sentinel or seed node answers
   */
  public static RedisEndpoint open(RedisSettings settings) {
    return new RedisEndpoint(RedisConnections.open(settings));
  }

  /** Where this endpoint connects. */
  public RedisSettings settings() {
    return connections.settings();
  }

  /** Whether this is a Redis Cluster ({@code redis-cluster://}). */
  public boolean isCluster() {
    return connections.isCluster();
  }

  /** True once {@link #close()} was called. */
  public boolean isClosed() {
    return connections.isClosed();
  }

  /** Closes the connections and stops their threads; services and dispatchers on it stop working. Idempotent. */
  @Override
  public void close() {
    connections.close();
  }

  @Override
  public String toString() {
    return "RedisEndpoint[" + settings() + "]";
  }
}
