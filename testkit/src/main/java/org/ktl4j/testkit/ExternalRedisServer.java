package org.ktl4j.testkit;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;

import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A running server the harness did not start ({@code KTL_TEST_REDIS_URL}): shared with other tests and runs, never
 * controlled or reconfigured. Immutable and thread-safe; creating one asks the server for its version (one round trip).
 */
final class ExternalRedisServer extends ManagedRedisServer {

    private static final Pattern VERSION = Pattern.compile("redis_version:(\\S+)");
    /** What the {@code A} flag of notify-keyspace-events stands for. */
    private static final String ALL_EVENT_TYPES = "g$lshzxet";

    private final URI uri;
    private final String host;
    private final int port;
    private final int db;
    private final Optional<String> user;
    private final Optional<String> password;
    private final String version;

    private ExternalRedisServer(URI uri) {
        this.uri = uri;
        this.host = uri.getHost();
        this.port = uri.getPort() == -1 ? 6379 : uri.getPort();
        String path = Optional.ofNullable(uri.getPath()).orElse("").replace("/", "");
        this.db = path.isEmpty() ? 0 : Integer.parseInt(path);
        String userInfo = Optional.ofNullable(uri.getUserInfo()).orElse("");
        int colon = userInfo.indexOf(':');
        String userPart = colon < 0 ? "" : userInfo.substring(0, colon);
        String passwordPart = colon < 0 ? userInfo : userInfo.substring(colon + 1);
        this.user = userPart.isEmpty() ? Optional.empty() : Optional.of(userPart);
        this.password = passwordPart.isEmpty() ? Optional.empty() : Optional.of(passwordPart);
        this.version = askVersion();
    }

    /**
     * Connects to the server at {@code url} and reads its version.
     *
     * @throws IllegalArgumentException if the URL is not a {@code redis://host[:port][/db]} URL
     * @throws IllegalStateException if the server does not answer
     */
    static ExternalRedisServer connect(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a Redis URL: " + redact(url) + " (" + e.getMessage() + ")", e);
        }
        if (!"redis".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("expected redis://[[user]:password@]host[:port][/db], got " + redact(url));
        }
        return new ExternalRedisServer(uri);
    }

    /** Aborts the calling test class unless this shared server can serve {@code request} as it is. */
    void requireSuitableFor(ServerRequest request) {
        Assumptions.assumeFalse(request.needsOwnServer(), () -> request.name() + " needs its own redis-server"
                + " (@RedisOptions password, users or args), which is not possible with " + description());
        request.notifyKeyspaceEvents().ifPresent(this::requireKeyspaceEvents);
    }

    private void requireKeyspaceEvents(String wanted) {
        String configured;
        try (RedisClient client = newClient()) {
            configured = client.configGet("notify-keyspace-events").values().stream().findFirst().orElse("");
        } catch (JedisException e) {
            Assumptions.abort("cannot check notify-keyspace-events on " + description() + ": " + e.getMessage());
            return;
        }
        Assumptions.assumeTrue(eventFlags(configured).containsAll(eventFlags(wanted)), () -> "needs "
                + "notify-keyspace-events " + wanted + " but " + description() + " has '" + configured + "'");
    }

    private static Set<Character> eventFlags(String flags) {
        return flags.replace("A", ALL_EVENT_TYPES).chars().mapToObj(c -> (char) c).collect(Collectors.toSet());
    }

    private String askVersion() {
        try (RedisClient client = newClient()) {
            Matcher matcher = VERSION.matcher(client.info("server"));
            return matcher.find() ? matcher.group(1) : "unknown";
        } catch (JedisException e) {
            throw new IllegalStateException("cannot reach the external Redis at " + redact(uri.toString()) + ": "
                    + e.getMessage(), e);
        }
    }

    private static String redact(String url) {
        return url.replaceAll("//([^:@/]*):[^@/]*@", "//$1:***@");
    }

    @Override
    public String url() {
        return uri.toString();
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public int db() {
        return db;
    }

    @Override
    public Optional<String> user() {
        return user;
    }

    @Override
    public Optional<String> password() {
        return password;
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public String description() {
        return "external Redis " + version + " at " + redact(uri.toString());
    }

    @Override
    public Optional<Path> logFile() {
        return Optional.empty();
    }

    @Override
    boolean isShared() {
        return true;
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
