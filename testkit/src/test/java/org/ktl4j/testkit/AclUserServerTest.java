package org.ktl4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;

@ExtendWith(RedisExtension.class)
@RedisOptions(users = "alice:pw")
class AclUserServerTest {

    private static RedisClient clientAs(RedisServer redis, String user, String password) {
        return RedisClient.builder().hostAndPort(redis.host(), redis.port())
                .clientConfig(redis.clientConfig().user(user).password(password).build())
                .build();
    }

    @Test
    void aclUserCanAuthenticateAndUseKeysAndChannels(RedisServer redis) {
        try (RedisClient alice = clientAs(redis, "alice", "pw")) {
            assertEquals("alice",
                    Commands.aclWhoAmI(redis, redis.clientConfig().user("alice").password("pw").build()));
            alice.set("alice:k", "v");
            assertEquals("v", alice.get("alice:k"));
            assertEquals(0L, alice.publish("alice:channel", "hello"));
        }
    }

    @Test
    void aclUserWithAWrongPasswordIsRefused(RedisServer redis) {
        try (RedisClient intruder = clientAs(redis, "alice", "wrong")) {
            assertThrows(JedisException.class, intruder::ping);
        }
    }
}
