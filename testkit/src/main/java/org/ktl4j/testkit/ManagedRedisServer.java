package org.ktl4j.testkit;

import java.time.Duration;

import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

/**
 * What every kind of test server shares: clients, service names, and refusing process control unless a subclass
 * supports it. {@link #close()} releases the server at the end of the test class (the extension's store calls it).
 */
abstract class ManagedRedisServer implements RedisServer, AutoCloseable {

    private static final Duration MAX_WAIT_FOR_CONNECTION = Duration.ofSeconds(5);

    @Override
    public DefaultJedisClientConfig.Builder clientConfig() {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .database(db())
                .clientName("ktl4j-testkit");
        user().ifPresent(config::user);
        password().ifPresent(config::password);
        return config;
    }

    @Override
    public RedisClient newClient() {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxWait(MAX_WAIT_FOR_CONNECTION); // a test should fail, not hang, when the pool is exhausted
        pool.setJmxEnabled(false);
        return RedisClient.builder()
                .hostAndPort(host(), port())
                .clientConfig(clientConfig().build())
                .poolConfig(pool)
                .build();
    }

    @Override
    public String serviceName(String base) {
        return ServiceNames.next(base, isShared());
    }

    /** Whether other runs may use this server too, so names must differ across runs as well. */
    boolean isShared() {
        return false;
    }

    @Override
    public boolean isControllable() {
        return false;
    }

    @Override
    public void kill() {
        unsupported("kill");
    }

    @Override
    public void restart() {
        unsupported("restart");
    }

    @Override
    public void pause() {
        unsupported("pause");
    }

    @Override
    public void resume() {
        unsupported("resume");
    }

    private void unsupported(String operation) {
        requireControllable(); // aborts the test
        throw new UnsupportedOperationException(operation + " is not supported by " + description());
    }

    @Override
    public abstract void close();

    @Override
    public String toString() {
        return description();
    }
}
