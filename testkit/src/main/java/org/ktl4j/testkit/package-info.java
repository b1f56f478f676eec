/**
 * Test support: a JUnit 5 extension that gives each test class a real Redis server.
 *
 * <p>Use {@link org.ktl4j.testkit.RedisExtension} and take a {@link org.ktl4j.testkit.RedisServer} parameter; configure
 * the server with {@link org.ktl4j.testkit.RedisOptions}. The server comes from, in order: {@code KTL_TEST_REDIS_URL}
 * (an external server: shared, not controllable), {@code KTL_REDIS_SERVER} (a redis-server binary), the binary bundled
 * in the embedded-redis jar, and Docker ({@code redis:7.2} via Testcontainers) only if none of these exists. Logs of
 * servers the harness runs are kept in {@code target/redis-logs}.
 *
 * <p>Not for production code.
 */
package org.ktl4j.testkit;
