package org.ktl4j.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import redis.clients.jedis.RedisClient;

@ExtendWith(RedisExtension.class)
@RedisOptions(notifyKeyspaceEvents = "Kh")
class KeyspaceNotificationsServerTest {

    @Test
    void serverHasTheRequestedNotificationFlags(RedisServer redis) {
        try (RedisClient client = redis.newClient()) {
            String flags = client.configGet("notify-keyspace-events").get("notify-keyspace-events");

            // Redis may reorder the flags; an external server may have more, 'A' meaning all event types
            assertTrue(flags.contains("K") && (flags.contains("h") || flags.contains("A")), flags);
        }
    }
}
