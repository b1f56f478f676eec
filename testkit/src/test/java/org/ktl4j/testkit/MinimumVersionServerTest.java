package org.ktl4j.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.embedded.RedisBinary;

/** A class that needs Redis 7 gets a Redis 7 server (from the PATH when the JVM's binary is 6.2), or is skipped. */
@ExtendWith(RedisExtension.class)
@RedisOptions(minimumVersion = "7.0")
class MinimumVersionServerTest {

    @Test
    void theServerIsAtLeastTheMinimumVersion(RedisServer redis) {
        assertTrue(RedisBinary.compareVersions(redis.version(), "7.0") >= 0, redis.description());
        try (var client = redis.newClient()) {
            assertTrue(client.info("server").contains("redis_version:" + redis.version()), redis.description());
        }
    }
}
