package org.ktl4j.testkit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ktl4j.embedded.EmbeddedRedis;
import org.opentest4j.TestAbortedException;

import redis.clients.jedis.RedisClient;

/** The external-server path ({@code KTL_TEST_REDIS_URL}), pointed at a server this test starts itself. */
class ExternalRedisServerTest {

    private static EmbeddedRedis redis;

    @BeforeAll
    static void startServer() {
        redis = EmbeddedRedis.builder().password("pw0").user("alice", "pw").notifyKeyspaceEvents("KEA").start();
    }

    @AfterAll
    static void stopServer() {
        redis.close();
    }

    private static ServerRequest request(Optional<String> password, Optional<String> events) {
        return new ServerRequest("Sample", password, List.of(), List.of(), events, RedisOptions.Tls.OFF);
    }

    @Test
    void addressAndPasswordComeFromTheUrl() {
        ExternalRedisServer server = ExternalRedisServer.connect(redis.url());

        assertEquals("127.0.0.1", server.host());
        assertEquals(redis.port(), server.port());
        assertEquals(0, server.db());
        assertEquals(Optional.empty(), server.user());
        assertEquals(Optional.of("pw0"), server.password());
        assertEquals(redis.binary().version(), server.version());
        assertFalse(server.description().contains("pw0"), server.description());
    }

    @Test
    void userAndDatabaseComeFromTheUrl() {
        ExternalRedisServer server = ExternalRedisServer.connect("redis://alice:pw@127.0.0.1:" + redis.port() + "/3");

        assertEquals(Optional.of("alice"), server.user());
        assertEquals(3, server.db());
        assertEquals("alice", Commands.aclWhoAmI(server, server.clientConfig().build()));
        try (RedisClient client = server.newClient()) {
            client.set("db3", "x");
        }
        try (RedisClient client = RedisClient.create(redis.uri())) {
            assertEquals(null, client.get("db3")); // written to db 3, not db 0
        }
    }

    @Test
    void processControlAbortsTheTest() {
        ExternalRedisServer server = ExternalRedisServer.connect(redis.url());

        assertFalse(server.isControllable());
        assertThrows(TestAbortedException.class, server::kill);
        assertThrows(TestAbortedException.class, server::restart);
        assertThrows(TestAbortedException.class, server::pause);
        assertThrows(TestAbortedException.class, server::requireControllable);
    }

    @Test
    void classNeedingItsOwnServerIsAborted() {
        ExternalRedisServer server = ExternalRedisServer.connect(redis.url());

        assertThrows(TestAbortedException.class,
                () -> server.requireSuitableFor(request(Optional.of("secret"), Optional.empty())));
    }

    @Test
    void keyspaceNotificationsAreAcceptedWhenTheServerAlreadyHasThem() {
        ExternalRedisServer server = ExternalRedisServer.connect(redis.url());

        assertDoesNotThrow(() -> server.requireSuitableFor(request(Optional.empty(), Optional.of("Kh"))));
        assertThrows(TestAbortedException.class,
                () -> server.requireSuitableFor(request(Optional.empty(), Optional.of("Km"))));
    }

    @Test
    void serviceNamesCarryARunIdBecauseTheServerIsShared() {
        String name = ExternalRedisServer.connect(redis.url()).serviceName("svc");

        assertTrue(name.matches("svc_[a-z0-9]+_\\d+"), name);
    }

    @Test
    void unreachableServerFailsWithoutRevealingThePassword() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        String url = "redis://:topsecret@127.0.0.1:" + closedPort;

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ExternalRedisServer.connect(url));

        assertTrue(e.getMessage().contains("127.0.0.1:" + closedPort), e.getMessage());
        assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
    }

    @Test
    void urlThatIsNotARedisUrlIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ExternalRedisServer.connect("http://127.0.0.1:1"));
    }
}
