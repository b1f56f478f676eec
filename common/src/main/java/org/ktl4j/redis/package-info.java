/**
 * How ktl4j talks to Redis: {@link org.ktl4j.redis.RedisSettings} describes a connection, {@link org.ktl4j.redis.SharedPool} holds the process-wide one ({@code configurePool}), {@link org.ktl4j.redis.RedisEndpoint} pairs a command pool with the process's single pub/sub connection, which {@link org.ktl4j.redis.PubSubHub} owns, reconnects and resubscribes.
 */
package org.ktl4j.redis;
