package org.ktl4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import redis.clients.jedis.RedisClient;

@ExtendWith(RedisExtension.class)
class RedisExtensionTest {

    private static RedisServer fromBeforeAll;
    private final RedisServer fromConstructor;
    private RedisServer fromBeforeEach;

    RedisExtensionTest(RedisServer redis) {
        this.fromConstructor = redis;
    }

    @BeforeAll
    static void rememberServer(RedisServer redis) {
        fromBeforeAll = redis;
    }

    @BeforeEach
    void rememberServerAgain(RedisServer redis) {
        fromBeforeEach = redis;
    }

    @Test
    void serverAnswersCommands(RedisServer redis) {
        try (RedisClient client = redis.newClient()) {
            assertEquals("PONG", client.ping());
            String key = redis.serviceName("extension") + ":k"; // the server may be shared
            client.set(key, "v");
            assertEquals("v", client.get(key));
            client.del(key);
        }
        assertEquals(redis.url(), redis.uri().toString());
        assertEquals(redis.port(), redis.uri().getPort());
    }

    @Test
    void harnessServerListensOnAFreeLoopbackPortRatherThanTheMachinesRedis(RedisServer redis) {
        redis.requireControllable(); // an external server is wherever the URL says
        assertNotEquals(6379, redis.port());
        assertEquals("redis://127.0.0.1:" + redis.port() + "/0", redis.url());
    }

    @Test
    void constructorLifecycleMethodsAndTestsGetTheSameServer(RedisServer redis) {
        assertSame(redis, fromBeforeAll);
        assertSame(redis, fromConstructor);
        assertSame(redis, fromBeforeEach);
    }

    @Test
    void serverLogIsKeptUnderTargetNamedAfterTheClassAndPort(RedisServer redis) {
        assumeTrue(redis.logFile().isPresent(), "only servers the harness runs have a log");
        Path log = redis.logFile().orElseThrow();

        assertEquals(Path.of("target", "redis-logs").toAbsolutePath(), log.getParent());
        assertEquals("RedisExtensionTest-" + redis.port() + ".log", log.getFileName().toString());
        assertTrue(Files.isRegularFile(log));
    }

    @Test
    void serviceNamesAreUniqueAndValid(RedisServer redis) {
        String first = redis.serviceName("Motor X");
        String second = redis.serviceName("Motor X");

        assertNotEquals(first, second);
        assertTrue(first.matches("[a-z][a-z0-9_.-]{0,63}"), first);
        assertTrue(first.startsWith("motor_x_"), first);
    }

    @Test
    void serverReportsItsVersion(RedisServer redis) {
        assertTrue(redis.version().matches("\\d+\\.\\d+\\.\\d+"), redis.version());
        assertTrue(redis.description().contains(redis.version()), redis.description());
    }

    @Nested
    class NestedClass {

        @Test
        void sharesTheEnclosingClassServer(RedisServer redis) {
            assertSame(fromBeforeAll, redis);
        }
    }
}
