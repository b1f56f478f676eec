/**
 * Where Redis is: {@link org.ktl4j.redis.RedisSettings} describes a connection (from a {@code redis://},
 * {@code rediss://}, {@code redis-sentinel://} or {@code redis-cluster://} URL), {@link org.ktl4j.redis.SharedPool}
 * holds the process-wide one ({@code configurePool}), and {@link org.ktl4j.redis.RedisEndpoint} is a handle on one
 * Redis deployment that services and dispatchers share. No Jedis type appears here; the plumbing is in
 * {@code org.ktl4j.internal.redis}.
 */
package org.ktl4j.redis;
