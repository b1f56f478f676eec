package org.ktl4j.testkit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;

@ExtendWith(RedisExtension.class)
class ProcessControlTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @BeforeEach
    void needsProcessControl(RedisServer redis) {
        redis.requireControllable();
    }

    /** Whether {@code type} is among the causes of {@code e} or their suppressed exceptions (Jedis uses both). */
    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)
                    || Arrays.stream(cause.getSuppressed()).anyMatch(suppressed -> causedBy(suppressed, type))) {
                return true;
            }
        }
        return false;
    }

    private static RedisClient clientWithShortTimeout(RedisServer redis) {
        return RedisClient.builder().hostAndPort(redis.host(), redis.port())
                .clientConfig(redis.clientConfig().socketTimeoutMillis(200).build())
                .build();
    }

    @Test
    void killedServerRefusesConnectionsAndRestartsEmptyOnTheSamePort(RedisServer redis) {
        int port = redis.port();
        try (RedisClient client = redis.newClient()) {
            client.set("survivor", "no");
        }

        redis.kill();
        try (RedisClient client = redis.newClient()) {
            JedisConnectionException e = assertThrows(JedisConnectionException.class, client::ping);
            assertTrue(causedBy(e, ConnectException.class), e.toString());
        }

        redis.restart();
        assertEquals(port, redis.port());
        try (RedisClient client = redis.newClient()) {
            assertEquals("PONG", client.ping());
            assertEquals(0L, client.dbSize());
        }
    }

    @Test
    void pausedServerLetsCommandsTimeOutAndAnswersAfterResume(RedisServer redis) {
        try (RedisClient client = clientWithShortTimeout(redis)) {
            assertEquals("PONG", client.ping()); // connected and handshaken before the pause

            redis.pause();
            try {
                JedisConnectionException e = assertThrows(JedisConnectionException.class, client::ping);
                assertTrue(causedBy(e, SocketTimeoutException.class), e.toString());
            } finally {
                redis.resume();
            }
        }
        try (RedisClient client = redis.newClient()) {
            await().atMost(PATIENCE).ignoreExceptions().until(() -> "PONG".equals(client.ping()));
        }
    }
}
