package org.ktl4j.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

import org.ktl4j.embedded.EmbeddedRedis;
import org.ktl4j.embedded.RedisBinary;

/** A redis-server process the harness started for one test class: fully controllable. Thread-safe. */
final class ProcessRedisServer extends ManagedRedisServer {

    private final EmbeddedRedis redis;
    private final Optional<TlsPort> tls;

    private ProcessRedisServer(EmbeddedRedis redis, Optional<TlsPort> tls) {
        this.redis = redis;
        this.tls = tls;
    }

    static ProcessRedisServer start(RedisBinary binary, ServerRequest request, Path logDirectory) {
        EmbeddedRedis.Builder builder = EmbeddedRedis.builder()
                .binary(binary)
                .name(request.name())
                .logDirectory(logDirectory);
        request.password().ifPresent(builder::password);
        request.notifyKeyspaceEvents().ifPresent(builder::notifyKeyspaceEvents);
        request.users().forEach(user -> builder.user(user.name(), user.password()));
        Optional<TestCertificates> certificates = Optional.empty();
        int tlsPort = 0;
        if (request.tls() != RedisOptions.Tls.OFF) {
            certificates = Optional.of(TestCertificates.create(temporaryDirectory()));
            tlsPort = freePort();
            TestCertificates c = certificates.get();
            builder.args("--tls-port", Integer.toString(tlsPort),
                    "--tls-cert-file", c.serverCert().toString(),
                    "--tls-key-file", c.serverKey().toString(),
                    "--tls-ca-cert-file", c.caCert().toString(),
                    "--tls-auth-clients", request.tls() == RedisOptions.Tls.CLIENT_CERTIFICATES ? "yes" : "no");
        }
        builder.args(request.args().toArray(String[]::new));
        EmbeddedRedis redis = builder.start();
        int port = tlsPort;
        Optional<TlsPort> tls = certificates.map(c -> new TlsPort(port, "rediss://" + redis.url()
                .substring("redis://".length()).replace(":" + redis.port() + "/", ":" + port + "/"), c));
        return new ProcessRedisServer(redis, tls);
    }

    @Override
    public Optional<TlsPort> tls() {
        return tls;
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("ktl4j-tls-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for test certificates", e);
        }
    }

    /** A port the kernel just handed out; redis-server binds it a moment later (a clash fails the start loudly). */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port for TLS", e);
        }
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
        tls.ifPresent(t -> delete(t.certificates().directory()));
    }

    private static void delete(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: the OS cleans it eventually
        }
    }
}
