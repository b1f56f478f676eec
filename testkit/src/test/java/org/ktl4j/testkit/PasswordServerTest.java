package org.ktl4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;

@ExtendWith(RedisExtension.class)
@RedisOptions(password = "secret")
class PasswordServerTest {

    @Test
    void unauthenticatedClientIsRefused(RedisServer redis) {
        try (RedisClient client = RedisClient.create(redis.host(), redis.port())) {
            JedisException e = assertThrows(JedisException.class, client::ping);
            assertTrue(String.valueOf(e.getMessage()).contains("NOAUTH") || e.getCause() != null
                    && String.valueOf(e.getCause().getMessage()).contains("NOAUTH"), e.toString());
        }
    }

    @Test
    void clientWithThePasswordIsAccepted(RedisServer redis) {
        assertEquals(Optional.of("secret"), redis.password());
        try (RedisClient client = redis.newClient()) {
            assertEquals("PONG", client.ping());
        }
    }

    @Test
    void urlCarriesThePassword(RedisServer redis) {
        assertEquals("redis://:secret@127.0.0.1:" + redis.port() + "/0", redis.url());
        try (RedisClient client = RedisClient.create(redis.uri())) {
            assertEquals("PONG", client.ping());
        }
    }
}
