package org.ktl4j.internal.redis;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.ktl4j.redis.RedisSettings;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisProtocol;

/**
 * {@link RedisSettings} in Jedis's terms: client configurations and addresses. Kept out of {@code RedisSettings} so
 * that no Jedis type is part of the public API. Stateless; thread-safe.
 */
public final class JedisSettings {
  private JedisSettings() {}

  /** The server's address ({@code host:port} of the URL; behind Sentinel or on a cluster, the first one). */
  public static HostAndPort hostAndPort(RedisSettings s) {
    return new HostAndPort(s.host(), s.port());
  }

  /** The Sentinels' addresses. */
  public static Set<HostAndPort> sentinels(RedisSettings.Sentinel s) {
    return hostsAndPorts(s.addresses());
  }

  /** The cluster's seed nodes. */
  public static Set<HostAndPort> seeds(RedisSettings.Cluster c) {
    return hostsAndPorts(c.seeds());
  }

  /** {@code host:port} texts ({@code [v6]:port} for IPv6, as checked by {@code RedisSettings}) as addresses. */
  public static Set<HostAndPort> hostsAndPorts(List<String> addresses) {
    Set<HostAndPort> set = new LinkedHashSet<>();
    for (String a : addresses) {
      int colon = a.lastIndexOf(':');
      String host = a.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      set.add(new HostAndPort(host, Integer.parseInt(a.substring(colon + 1))));
    }
    return set;
  }

  /** Jedis configuration for asking the Sentinels: the same timeout and TLS, no credentials, no database. */
  public static JedisClientConfig sentinelClientConfig(RedisSettings s) {
    int ms = (int) Math.min(Integer.MAX_VALUE, s.timeout().toMillis());
    DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(ms)
        .socketTimeoutMillis(ms)
        .clientName("ktl-sentinel")
        .protocol(RedisProtocol.RESP2)
        .ssl(s.tls());
    if (s.tls() && !s.tlsFiles().isEmpty()) {
      b.sslSocketFactory(s.tlsFiles().socketFactory());
    }
    return b.build();
  }

  /** Jedis client configuration; {@code blockingTimeout} bounds blocking reads (0 = the normal timeout). */
  public static JedisClientConfig clientConfig(RedisSettings s, String clientName, Duration blockingTimeout) {
    int ms = (int) Math.min(Integer.MAX_VALUE, s.timeout().toMillis());
    DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(ms)
        .socketTimeoutMillis(ms)
        .blockingSocketTimeoutMillis(blockingTimeout.isZero() ? ms : (int) blockingTimeout.toMillis())
        .database(s.db())
        .clientName(clientName)
        .protocol(RedisProtocol.RESP2)
        .ssl(s.tls());
    if (s.tls() && !s.tlsFiles().isEmpty()) {
      // no sslParameters: Jedis then sets endpoint identification "HTTPS", i.e. the host name is verified
      b.sslSocketFactory(s.tlsFiles().socketFactory());
    }
    s.user().ifPresent(b::user);
    s.password().ifPresent(b::password);
    return b.build();
  }
}
