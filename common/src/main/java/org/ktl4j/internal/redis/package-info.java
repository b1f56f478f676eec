/**
 * Redis plumbing behind {@link org.ktl4j.redis.RedisEndpoint}: {@link org.ktl4j.internal.redis.RedisConnections}
 * (the command pool, Sentinel and Cluster routing, the server's clock) and the process's pub/sub connections,
 * which {@link org.ktl4j.internal.redis.PubSubHub} (one server) and {@link org.ktl4j.internal.redis.ClusterPubSub}
 * (one per cluster node in use) own, reconnect and resubscribe.
 *
 * <p><b>Internal, unsupported:</b> public only so that ktl4j's own modules can share it; its signatures use Jedis
 * types and change without notice.
 */
package org.ktl4j.internal.redis;
