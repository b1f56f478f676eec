package org.ktl4j.testkit;

import java.nio.file.Path;
import java.util.Optional;

import org.ktl4j.embedded.RedisBinary;
import org.ktl4j.embedded.RedisBinaryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where this JVM's test servers come from, decided once per JVM and announced once (stdout and SLF4J):
 * {@value #URL_VARIABLE} (external server), else a redis-server binary ({@code KTL_REDIS_SERVER} or the embedded-redis
 * jar), else Docker. Thread-safe.
 */
sealed interface ServerSource {

    /** Environment variable with the URL of an external server for tests. */
    String URL_VARIABLE = "KTL_TEST_REDIS_URL";
    /** System property with the URL of an external server for tests; wins over {@value #URL_VARIABLE}. */
    String URL_PROPERTY = "ktl.test.redis.url";
    /** System property naming the directory for server logs; default {@code target/redis-logs}. */
    String LOG_DIRECTORY_PROPERTY = "ktl.test.logdir";

    /** A server for the test class that made {@code request}, to be closed when the class is done. */
    ManagedRedisServer start(ServerRequest request);

    /** For the announcement, e.g. {@code "redis-server 6.2.11 from embedded-redis jar (/tmp/...)"}. */
    String description();

    /** The source for this JVM; the first call decides and announces it. */
    static ServerSource get() {
        return Decision.get();
    }

    /** Servers of a running Redis given by URL, shared by all test classes. */
    record External(ExternalRedisServer server) implements ServerSource {
        @Override
        public ManagedRedisServer start(ServerRequest request) {
            server.requireSuitableFor(request);
            request.requireVersion(server.version(), server.description());
            return server;
        }

        @Override
        public String description() {
            return server.description() + " (" + URL_VARIABLE + ")";
        }
    }

    /** One redis-server process per test class, logs in {@code logDirectory}. */
    record LocalBinary(RedisBinary binary, Path logDirectory) implements ServerSource {
        @Override
        public ManagedRedisServer start(ServerRequest request) {
            return ProcessRedisServer.start(binaryFor(request), request, logDirectory);
        }

        /** This source's binary if it is new enough for {@code request}, else one from the PATH that is (or abort). */
        private RedisBinary binaryFor(ServerRequest request) {
            if (request.acceptsVersion(binary.version())) {
                return binary;
            }
            String minimum = request.minimumVersion().orElseThrow();
            Optional<RedisBinary> newer = RedisBinary.onPath(minimum);
            request.requireVersion(newer.map(RedisBinary::version).orElse(binary.version()), binary
                    + "; no redis-server " + minimum + "+ on the PATH either (set " + RedisBinary.ENVIRONMENT_VARIABLE
                    + " to one)");
            Decision.LOG.info("{} needs Redis {}+: using {}", request.name(), minimum, newer.orElseThrow());
            return newer.orElseThrow();
        }

        @Override
        public String description() {
            return binary.toString();
        }
    }

    /** One Docker container per test class. */
    record Docker() implements ServerSource {
        @Override
        public ManagedRedisServer start(ServerRequest request) {
            request.requireVersion(ContainerRedisServer.IMAGE.substring(ContainerRedisServer.IMAGE.indexOf(':') + 1),
                    description());
            return ContainerRedisServer.start(request);
        }

        @Override
        public String description() {
            return "Docker image " + ContainerRedisServer.IMAGE + " via Testcontainers (no usable redis-server binary)";
        }
    }

    /** Makes and remembers the per-JVM decision. */
    final class Decision {

        private static final Logger LOG = LoggerFactory.getLogger(RedisExtension.class);
        private static ServerSource source; // guarded by Decision.class
        private static RuntimeException failure; // guarded by Decision.class; every class fails the same way

        private Decision() {
        }

        static synchronized ServerSource get() {
            if (source == null && failure == null) {
                try {
                    source = decide();
                    String banner = "ktl4j test harness: " + source.description();
                    System.out.println(banner);
                    LOG.info(banner);
                } catch (RuntimeException e) {
                    failure = new IllegalStateException("no Redis server for tests: " + e.getMessage(), e);
                }
            }
            if (failure != null) {
                throw failure;
            }
            return source;
        }

        private static ServerSource decide() {
            Optional<String> url = setting(URL_PROPERTY, URL_VARIABLE);
            if (url.isPresent()) {
                return new External(ExternalRedisServer.connect(url.get()));
            }
            Path logDirectory = Path.of(System.getProperty(LOG_DIRECTORY_PROPERTY, "target/redis-logs")).toAbsolutePath();
            Optional<RedisBinary> configured = RedisBinary.configured(); // set but broken: fail, do not fall back
            if (configured.isPresent()) {
                return new LocalBinary(configured.get(), logDirectory);
            }
            try {
                return new LocalBinary(RedisBinary.bundled(), logDirectory);
            } catch (RedisBinaryException noBundledBinary) {
                if (ContainerRedisServer.isDockerAvailable()) {
                    return new Docker();
                }
                throw new IllegalStateException(noBundledBinary.getMessage() + "; no Docker engine either; or set "
                        + URL_VARIABLE + "=redis://host:port to use a running server", noBundledBinary);
            }
        }

        private static Optional<String> setting(String property, String variable) {
            String value = System.getProperty(property, "").trim();
            if (value.isEmpty()) {
                value = Optional.ofNullable(System.getenv(variable)).orElse("").trim();
            }
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        }
    }
}
