package org.ktl4j.testkit;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

/**
 * The Redis server a test class was given by {@link RedisExtension}: its address, fresh clients, and, when the harness
 * started the server itself, control over the process (kill, restart, pause).
 *
 * <p>The server may be an external one shared with other tests and runs ({@code KTL_TEST_REDIS_URL}). Tests therefore
 * touch only keys of services named by {@link #serviceName(String)}, never flush or reconfigure the server, and call
 * {@link #requireControllable()} (or just {@link #kill()} etc., which do it) when they need to control the process.
 *
 * <p>Implementations are thread-safe. Address accessors are free; {@link #newClient()} opens a connection pool.
 */
public interface RedisServer {

    /** E.g. {@code redis://127.0.0.1:41379/0}, or {@code redis://:secret@127.0.0.1:41379/0} with a password. */
    String url();

    /**
     * The server's TLS port, when the class asked for one with {@link RedisOptions#tls()}; empty otherwise.
     */
    default Optional<TlsPort> tls() {
        return Optional.empty();
    }

    /**
     * The TLS side of a test server.
     *
     * @param port         the TLS port (the plain {@link RedisServer#port()} stays open too)
     * @param url          {@code rediss://[:password@]127.0.0.1:PORT/0}
     * @param certificates the CA, server and client files the server was started with
     */
    record TlsPort(int port, String url, TestCertificates certificates) {
    }

    /** {@link #url()} as a URI. */
    default URI uri() {
        return URI.create(url());
    }

    /** Host name or address to connect to, e.g. {@code 127.0.0.1}. */
    String host();

    /** TCP port; unchanged by {@link #restart()}. */
    int port();

    /** Database index the tests use. */
    int db();

    /** ACL user name the tests connect as, if not the default user. */
    Optional<String> user();

    /** Password the tests authenticate with, if the server needs one. */
    Optional<String> password();

    /** The server's version, e.g. {@code "6.2.11"}, for tests that need a newer one (e.g. sharded pub/sub needs 7.0). */
    String version();

    /** Where the server came from, e.g. {@code "redis-server 6.2.11 from embedded-redis jar (...) on 127.0.0.1:41379"}. */
    String description();

    /** The server's log file when the harness runs the process; empty for external and container servers. */
    Optional<Path> logFile();

    /**
     * A client configuration builder with this server's user, password and database already set, to add e.g. a short
     * socket timeout: {@code RedisClient.builder().hostAndPort(host(), port()).clientConfig(clientConfig()
     * .socketTimeoutMillis(200).build()).build()}.
     */
    DefaultJedisClientConfig.Builder clientConfig();

    /**
     * A new Jedis client (with its own pool, waiting at most a few seconds for a connection) authenticated as
     * {@link #user()}/{@link #password()}; the caller closes it.
     */
    RedisClient newClient();

    /**
     * A service name no other test in this JVM (nor, with an external server, any other run) gets: {@code base},
     * lowercased and cleaned to {@code [a-z][a-z0-9_.-]}, then {@code _<n>} (external servers: {@code _<runId>_<n>}),
     * at most 64 characters.
     */
    String serviceName(String base);

    /** Whether {@link #kill()}, {@link #restart()}, {@link #pause()} and {@link #resume()} are supported. */
    boolean isControllable();

    /** Aborts (skips) the calling test unless this server is {@linkplain #isControllable() controllable}. */
    default void requireControllable() {
        Assumptions.assumeTrue(isControllable(),
                () -> "this test controls the redis-server process, which is not possible with " + description());
    }

    /** SIGKILL: connections are reset and later connects are refused until {@link #restart()}. */
    void kill();

    /** Starts an empty server on the same port, stopping the running one first (gracefully) if there is one. */
    void restart();

    /** SIGSTOP: connections stay open but nothing is answered, so client commands time out. */
    void pause();

    /** SIGCONT after {@link #pause()}: queued commands are answered. */
    void resume();
}
