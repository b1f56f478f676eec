package org.ktl4j.testkit;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A Redis in a Docker container (Testcontainers), the last resort when no redis-server binary is usable. Not
 * controllable: killing or restarting a container changes its mapped port. The only class that touches Testcontainers,
 * so those classes load only on this path. Thread-safe; starting pulls the image on first use (slow).
 */
final class ContainerRedisServer extends ManagedRedisServer {

    static final String IMAGE = "redis:7.2";
    private static final int REDIS_PORT = 6379;

    private final GenericContainer<?> container;
    private final Optional<String> password;

    private ContainerRedisServer(GenericContainer<?> container, Optional<String> password) {
        this.container = container;
        this.password = password;
    }

    /** Whether a Docker engine answers (about a second when none does). */
    static boolean isDockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    static ContainerRedisServer start(ServerRequest request) {
        org.junit.jupiter.api.Assumptions.assumeTrue(request.tls() == RedisOptions.Tls.OFF,
                () -> request.name() + " asks for TLS, which the harness sets up only for a local redis-server binary");
        List<String> command = new ArrayList<>(List.of("redis-server", "--save", "", "--appendonly", "no"));
        command.addAll(request.serverArguments());
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(IMAGE))
                .withExposedPorts(REDIS_PORT)
                .withCommand(command.toArray(String[]::new));
        container.start();
        return new ContainerRedisServer(container, request.password());
    }

    @Override
    public String url() {
        String auth = password.map(secret -> ":" + URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20")
                + "@").orElse("");
        return "redis://" + auth + host() + ":" + port() + "/0";
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int port() {
        return container.getMappedPort(REDIS_PORT);
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
        return password;
    }

    @Override
    public String version() {
        return IMAGE.substring(IMAGE.indexOf(':') + 1);
    }

    @Override
    public String description() {
        return "Docker container " + IMAGE + " (Testcontainers) on " + host() + ":" + port();
    }

    @Override
    public Optional<Path> logFile() {
        return Optional.empty();
    }

    @Override
    public void close() {
        container.stop();
    }
}
