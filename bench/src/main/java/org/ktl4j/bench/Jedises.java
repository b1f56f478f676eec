package org.ktl4j.bench;

import org.ktl4j.redis.RedisSettings;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;

/** Plain single Jedis connections for the hand-rolled floors (RESP2, as ktl4j uses). Stateless. */
final class Jedises {
  private Jedises() {}

  static Jedis open(RedisSettings s, String clientName) {
    if (s.tls()) {
      throw new IllegalArgumentException("the bench's floors do not do TLS; give a redis:// URL");
    }
    DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
        .protocol(RedisProtocol.RESP2)
        .database(s.db())
        .clientName(clientName)
        .connectionTimeoutMillis(5000)
        .socketTimeoutMillis(0); // subscribers block indefinitely; command connections never wait long here
    s.user().ifPresent(b::user);
    s.password().ifPresent(b::password);
    return new Jedis(new HostAndPort(s.host(), s.port()), b.build());
  }

  /** The keyspace-notification channel of {@code key}. */
  static String keyspace(RedisSettings s, String key) {
    return "__keyspace@" + s.db() + "__:" + key;
  }
}
