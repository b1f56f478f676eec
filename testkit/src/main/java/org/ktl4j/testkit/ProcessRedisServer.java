package org.ktl4j.testkit;

import java.nio.file.Path;
import java.util.Optional;

import org.ktl4j.embedded.EmbeddedRedis;
import org.ktl4j.embedded.RedisBinary;

/** A redis-server process the harness started for one test class: fully controllable. Thread-safe. */
final class ProcessRedisServer extends ManagedRedisServer {

    private final EmbeddedRedis redis;

    private ProcessRedisServer(EmbeddedRedis redis) {
        this.redis = redis;
    }

    static ProcessRedisServer start(RedisBinary binary, ServerRequest request, Path logDirectory) {
        EmbeddedRedis.Builder builder = EmbeddedRedis.builder()
                .binary(binary)
                .name(request.name())
                .logDirectory(logDirectory);
        request.password().ifPresent(builder::password);
        request.notifyKeyspaceEvents().ifPresent(builder::notifyKeyspaceEvents);
        request.users().forEach(user -> builder.user(user.name(), user.password()));
        builder.args(request.args().toArray(String[]::new));
        return new ProcessRedisServer(builder.start());
    }

    @Override
    public String url() {
        return redis.url();
    }

    @Override
    public String host() {
        return redis.host();
    }

    @Override
    public int port() {
        return redis.port();
    }

    @Override
    public int db() {
        return 0;
    }

    @Override
    public Optional<String> user() {
        return Optional.empty();
    }

    @Override
    public Optional<String> password() {
        return redis.password();
    }

    @Override
    public String version() {
        return redis.binary().version();
    }

    @Override
    public String description() {
        return redis.binary() + " on " + host() + ":" + port();
    }

    @Override
    public Optional<Path> logFile() {
        return Optional.of(redis.logFile());
    }

    @Override
    public boolean isControllable() {
        return true;
    }

    @Override
    public void kill() {
        redis.kill();
    }

    @Override
    public void restart() {
        redis.restart();
    }

    @Override
    public void pause() {
        redis.pause();
    }

    @Override
    public void resume() {
        redis.resume();
    }

    @Override
    public void close() {
        redis.close();
    }
}
