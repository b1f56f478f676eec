package org.ktl4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisDataException;

/** Like managed Redis services, which block CONFIG. */
@ExtendWith(RedisExtension.class)
@RedisOptions(args = {"--rename-command", "CONFIG", ""})
class RenamedCommandServerTest {

    @Test
    void disabledConfigCommandIsUnknown(RedisServer redis) {
        try (RedisClient client = redis.newClient()) {
            JedisDataException e = assertThrows(JedisDataException.class,
                    () -> client.configGet("notify-keyspace-events"));
            assertTrue(e.getMessage().startsWith("ERR unknown command"), e.getMessage());
            assertEquals("PONG", client.ping());
        }
    }
}
