/**
 * Runs a real {@code redis-server} process on the loopback interface: for tests, the demo and the CLI's
 * {@code --redis embedded}.
 *
 * <p>{@link org.ktl4j.embedded.RedisBinary} finds the executable ({@code KTL_REDIS_SERVER}, else the binary bundled in
 * the embedded-redis jar, never the {@code PATH}); {@link org.ktl4j.embedded.EmbeddedRedis} starts, kills, restarts,
 * pauses and stops one server. Nothing here depends on a Redis client library: readiness is checked with a raw RESP
 * {@code PING}.
 */
package org.ktl4j.embedded;
