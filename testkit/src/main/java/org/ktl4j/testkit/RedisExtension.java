package org.ktl4j.testkit;

import java.util.Optional;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit 5 extension that gives each test class its own real Redis server, injected as a {@link RedisServer} parameter
 * into constructors, {@code @BeforeAll}, {@code @BeforeEach} and test methods. {@code @Nested} classes share their
 * enclosing class's server.
 *
 * <pre>{@code
 * @ExtendWith(RedisExtension.class)
 * class SubscriptionTest {
 *     @Test
 *     void subscriptionResumesAfterRedisRestart(RedisServer redis) { ... }
 * }
 * }</pre>
 *
 * <p>The server starts before the class's first test (or at the first injection) and is closed when the class is done;
 * its options come from {@link RedisOptions} on the class. Where servers come from is decided once per JVM and printed
 * once: {@code KTL_TEST_REDIS_URL} (an external server), else a {@code redis-server} binary ({@code KTL_REDIS_SERVER},
 * else the embedded-redis jar), else Docker; with none of these the tests fail and say how to provide one. When a test
 * fails, the path of the server's log ({@code target/redis-logs/<TestClass>-<port>.log}) is printed.
 *
 * <p>Stateless and thread-safe (servers live in the class's extension store), so it suits parallel classes.
 */
public final class RedisExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver, TestWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(RedisExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RedisExtension.class);
    private static final String SERVER = "server";

    /** Starts the class's server up front, so an unsuitable server aborts the class instead of failing a parameter. */
    @Override
    public void beforeAll(ExtensionContext context) {
        server(context);
    }

    /** Same as {@link #beforeAll}, for an extension registered on an instance field. */
    @Override
    public void beforeEach(ExtensionContext context) {
        server(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == RedisServer.class;
    }

    @Override
    public RedisServer resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return server(extensionContext);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Optional.ofNullable(context.getStore(NAMESPACE).get(SERVER, ManagedRedisServer.class))
                .flatMap(RedisServer::logFile)
                .ifPresent(log -> {
                    String message = "redis-server log for failed " + context.getDisplayName() + ": " + log;
                    System.out.println(message);
                    LOG.warn(message);
                });
    }

    private static ManagedRedisServer server(ExtensionContext context) {
        ExtensionContext classContext = classContext(context);
        // The store closes AutoCloseable values when the class context ends; nested classes find the outer value.
        return classContext.getStore(NAMESPACE).computeIfAbsent(SERVER,
                key -> ServerSource.get().start(ServerRequest.of(classContext.getRequiredTestClass())),
                ManagedRedisServer.class);
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() || current.getTestClass().isEmpty()) {
            current = current.getParent().orElseThrow(
                    () -> new IllegalStateException("RedisExtension used outside a test class: " + context));
        }
        return current;
    }
}
