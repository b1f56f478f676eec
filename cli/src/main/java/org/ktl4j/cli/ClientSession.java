package org.ktl4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ktl4j.UnavailableException;
import org.ktl4j.client.ClientConfig;
import org.ktl4j.client.Service;
import org.ktl4j.internal.protocol.Names;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.RedisSettings;

/**
 * What a client command ({@code show}, {@code modify}, {@code monitor}, {@code waitfor}, {@code list}) opens: one
 * Redis endpoint from {@code --redis} and the services it uses on it, opened on first use and closed, with the
 * endpoint, by {@link #close()}. A Redis that cannot be reached is reported with where its URL came from.
 *
 * <p>Not thread-safe except {@link #service(String)}, which may be called from a resolver while an expression is
 * parsed (on the caller's thread).
 */
final class ClientSession implements AutoCloseable {
  private final RedisOption redis;
  private final RedisEndpoint endpoint;
  private final ClientConfig config;
  private final Map<String, Service> services = new LinkedHashMap<>(); // guarded by this

  private ClientSession(RedisOption redis, RedisEndpoint endpoint, ClientConfig config) {
    this.redis = redis;
    this.endpoint = endpoint;
    this.config = config;
  }

  /**
   * Opens the endpoint {@code --redis} names (no connection is made until the first command).
   *
   * @throws IllegalArgumentException for a malformed URL or {@code embedded}
   */
  static ClientSession open(RedisOption redis, ClientConfig config) {
    RedisSettings settings = redis.settings();
    return new ClientSession(redis, RedisEndpoint.open(settings), config);
  }

  /** Opens with the client's default configuration. */
  static ClientSession open(RedisOption redis) {
    return open(redis, ClientConfig.defaults());
  }

  RedisEndpoint endpoint() {
    return endpoint;
  }

  /**
   * The service of that name, opened once.
   *
   * @throws org.ktl4j.client.NoSuchServiceException naming the services Redis knows
   * @throws UnavailableException if Redis cannot be reached (the message says where the URL came from)
   */
  synchronized Service service(String name) {
    String n = Names.service(name.strip());
    Service s = services.get(n);
    if (s == null) {
      s = reachable(() -> Service.open(n, endpoint, config));
      services.put(n, s);
    }
    return s;
  }

  /** The names of the services Redis knows, sorted. */
  List<String> serviceNames() {
    return reachable(() -> Service.services(endpoint));
  }

  /**
   * Runs a Redis call; a failure gets what the user needs to act on it ({@link ConnectionHints}): where the URL
   * came from, or how to give a password.
   */
  <T> T reachable(java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (UnavailableException e) {
      throw ConnectionHints.explain(e, endpoint.settings(), redis.source());
    }
  }

  /** Closes every service opened here (ending their subscriptions), then the endpoint. Idempotent. */
  @Override
  public synchronized void close() {
    List<Service> open = new ArrayList<>(services.values());
    services.clear();
    for (Service s : open) {
      s.close();
    }
    endpoint.close();
  }
}
