package org.ktl4j.testkit;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;

/** Commands the Jedis 8 {@code RedisClient} API does not offer; run on a single {@link Jedis} connection. */
final class Commands {

    private Commands() {
    }

    /** {@code ACL WHOAMI}: the user a connection with {@code config} is authenticated as. */
    static String aclWhoAmI(RedisServer redis, JedisClientConfig config) {
        try (Jedis jedis = new Jedis(new HostAndPort(redis.host(), redis.port()), config)) {
            return jedis.aclWhoAmI();
        }
    }
}
