package org.ktl4j.embedded;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real {@code redis-server} process listening on 127.0.0.1, with persistence off ({@code --save "" --appendonly no})
 * so every start is an empty server.
 *
 * <p>Start one with {@link #builder()}; {@code start()} returns once the server answers {@code PING}. The port never
 * changes: {@link #kill()} (SIGKILL), {@link #stop()} (SIGTERM) and {@link #restart()} keep it, so clients can
 * reconnect to the same address. {@link #pause()}/{@link #resume()} freeze the process with SIGSTOP/SIGCONT (POSIX only):
 * connections stay open and the kernel still accepts new ones, but nothing answers, like a hung server.
 *
 * <p>The server's stdout and stderr (its log) are appended to {@link #logFile()}. Unless told otherwise, its files go in
 * {@code <java.io.tmpdir>/ktl4j-<pid>-<random>/}, with the extracted bundled binary, and nothing is left there on any way
 * out: {@link #close()} deletes the server's directory; one JVM shutdown hook for all servers (normal exit,
 * {@code System.exit}, SIGTERM, SIGINT) kills those still running and deletes the rest; and after a SIGKILL, the next
 * JVM to start a server deletes the directories of processes that are gone. No other threads.
 *
 * <p>Thread-safe: all operations are serialized on this object. Cost: starting forks one process (tens of
 * milliseconds) and needs about 10 MB of memory per server.
 */
public final class EmbeddedRedis implements AutoCloseable {

    /** How long {@code start()} and {@link #restart()} wait for the server to answer PING. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(10);
    /** How long {@link #stop()} waits after SIGTERM before it sends SIGKILL. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(5);
    /** The log file name is {@code <name>-<port>.log}; this is the default name. */
    public static final String DEFAULT_NAME = "redis";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);

    private final RedisBinary binary;
    private final ServerConfig config;
    private final Path workDirectory;
    private final boolean ownsWorkDirectory;
    private final int port;
    private final Path logFile;
    private final TempFiles.Lease lease;
    private volatile Process process; // volatile: the shutdown hook reads it without taking the lock
    private boolean paused;
    private boolean closed;

    private EmbeddedRedis(RedisBinary binary, ServerConfig config, Path workDirectory, boolean ownsWorkDirectory,
            ServerProcess started, TempFiles.Lease lease) {
        this.binary = binary;
        this.config = config;
        this.workDirectory = workDirectory;
        this.ownsWorkDirectory = ownsWorkDirectory;
        this.port = started.port();
        this.logFile = started.logFile();
        this.process = started.process();
        this.lease = lease;
        if (config.killOnJvmExit()) {
            lease.onJvmExit(this::killOnJvmExit);
        }
    }

    /** A builder with defaults: any free port, a temporary directory, no password, server-default settings. */
    public static Builder builder() {
        return new Builder();
    }

    static EmbeddedRedis start(ServerConfig config) {
        TempFiles.Lease lease = TempFiles.lease(); // before the binary: bundled() extracts it into the lease's directory
        boolean owns = config.workDirectory().isEmpty();
        Path work = null;
        try {
            RedisBinary binary = config.binary().map(RedisBinary::present).orElseGet(RedisBinary::locate);
            work = workDirectory(config, lease);
            ServerProcess started = ServerProcess.startOnFirstFreePort(binary, config, work, candidatePorts(config));
            EmbeddedRedis redis = new EmbeddedRedis(binary, config, work, owns, started, lease);
            LOG.info("started {} on {}:{} (pid {}, log {})", binary, LoopbackPorts.HOST, redis.port, redis.process.pid(),
                    redis.logFile);
            return redis;
        } catch (RuntimeException | Error e) {
            if (owns && work != null) {
                TempFiles.deleteRecursively(work);
            }
            lease.release();
            throw e;
        }
    }

    /**
     * The given directory (created if missing); else a new one in this JVM's temporary directory, or, with
     * {@code keepFiles}, a new {@code ktl4j-redis-<random>} directly in {@code java.io.tmpdir}, which nothing deletes.
     */
    private static Path workDirectory(ServerConfig config, TempFiles.Lease lease) {
        try {
            if (config.workDirectory().isPresent()) {
                return Files.createDirectories(config.workDirectory().get());
            }
            return config.keepFiles()
                    ? Files.createTempDirectory(TempFiles.PREFIX + "redis-")
                    : Files.createTempDirectory(lease.directory(), "redis-");
        } catch (IOException e) {
            throw new RedisProcessException("cannot create the redis-server directory: " + e.getMessage(), e);
        }
    }

    private static List<Integer> candidatePorts(ServerConfig config) {
        if (config.requestedPort() != 0) {
            return List.of(config.requestedPort());
        }
        List<Integer> ports = new ArrayList<>();
        if (config.preferredPort() != 0) {
            ports.add(config.preferredPort());
        }
        while (ports.size() < 5) {
            ports.add(LoopbackPorts.free());
        }
        return ports;
    }

    /** Always {@code "127.0.0.1"}. */
    public String host() {
        return LoopbackPorts.HOST;
    }

    /** The TCP port; it stays the same across {@link #restart()}. */
    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:PORT/0}, or {@code redis://:PASSWORD@127.0.0.1:PORT/0} with a password. */
    public String url() {
        String auth = config.password()
                .map(secret -> ":" + URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20") + "@")
                .orElse("");
        return "redis://" + auth + host() + ":" + port + "/0";
    }

    /** {@link #url()} as a URI. */
    public URI uri() {
        return URI.create(url());
    }

    /** The {@code requirepass} password, if one was set. */
    public Optional<String> password() {
        return config.password();
    }

    /** The binary this server runs. */
    public RedisBinary binary() {
        return binary;
    }

    /** The file the server's output is appended to, {@code <logDirectory>/<name>-<port>.log}. */
    public Path logFile() {
        return logFile;
    }

    /** The server's working directory ({@code --dir}). */
    public Path workDirectory() {
        return workDirectory;
    }

    /**
     * The process id of the running server.
     *
     * @throws IllegalStateException if it is not running
     */
    public synchronized long pid() {
        Process current = process;
        if (current == null || !current.isAlive()) {
            throw new IllegalStateException("redis-server on port " + port + " is not running");
        }
        return current.pid();
    }

    /** Whether the process is alive (a paused process is alive). */
    public synchronized boolean isRunning() {
        Process current = process;
        return current != null && current.isAlive();
    }

    /** Whether {@link #pause()} froze the process and {@link #resume()} has not yet thawed it. */
    public synchronized boolean isPaused() {
        return paused && isRunning();
    }

    /** Kills the process with SIGKILL and waits until it is gone: clients see their connections reset. No-op if stopped. */
    public synchronized void kill() {
        Process current = process;
        if (current != null && current.isAlive()) {
            current.destroyForcibly();
            ServerProcess.awaitExit(current, DEFAULT_STOP_TIMEOUT);
            LOG.info("killed redis-server on port {}", port);
        }
        paused = false;
    }

    /**
     * Stops the process gracefully (SIGTERM, so Redis closes clients and exits), then SIGKILL if it has not exited within
     * the stop timeout. No-op if stopped.
     */
    public synchronized void stop() {
        Process current = process;
        if (current != null && current.isAlive()) {
            if (paused) {
                ProcessSignals.send(current.pid(), "CONT"); // a stopped process would not act on SIGTERM
            }
            current.destroy();
            if (!ServerProcess.awaitExit(current, config.stopTimeout())) {
                current.destroyForcibly();
                ServerProcess.awaitExit(current, DEFAULT_STOP_TIMEOUT);
            }
            LOG.info("stopped redis-server on port {}", port);
        }
        paused = false;
    }

    /**
     * Starts an empty server on the same port, stopping the running one first if there is one. Retries while the port
     * is still held, until the start timeout.
     *
     * @throws RedisProcessException if it does not answer PING within the start timeout
     * @throws IllegalStateException if closed
     */
    public synchronized void restart() {
        requireOpen();
        stop();
        process = ServerProcess.restart(binary, config, workDirectory, port, logFile);
        LOG.info("restarted redis-server on port {} (pid {})", port, process.pid());
    }

    /**
     * Freezes the process with SIGSTOP. Commands then get no reply (clients time out) but connections are accepted.
     *
     * @throws UnsupportedOperationException on Windows
     * @throws IllegalStateException if not running
     */
    public synchronized void pause() {
        ProcessSignals.send(pid(), "STOP");
        paused = true;
    }

    /** Thaws a process frozen by {@link #pause()} with SIGCONT; queued commands are then answered. */
    public synchronized void resume() {
        ProcessSignals.send(pid(), "CONT");
        paused = false;
    }

    /**
     * Stops the server and deletes the temporary working directory (with the log, if it is there) unless
     * {@link Builder#keepFiles(boolean)} was set. A directory given to {@link Builder#workDirectory(Path)} is never
     * deleted. Called while the JVM shuts down (from a shutdown hook), it also deletes this JVM's whole temporary
     * directory, the extracted bundled binary included, unless another server is still open that waits for its owner
     * to close it: a hook that ends with {@link Runtime#halt(int)}, as the CLI's does, leaves no later chance to.
     * Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } finally {
            try {
                deleteOwnFiles();
            } finally {
                lease.release();
            }
        }
    }

    @Override
    public String toString() {
        return "EmbeddedRedis[" + host() + ":" + port + ", " + binary + "]";
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("redis-server on port " + port + " is closed");
        }
    }

    /** Run by the JVM shutdown hook (without the lock: the owner may hold it) when the server was not closed. */
    private void killOnJvmExit() {
        Process current = process;
        if (current != null) {
            current.destroyForcibly(); // SIGKILL also ends a SIGSTOPped process
            ServerProcess.awaitExit(current, DEFAULT_STOP_TIMEOUT);
        }
        deleteOwnFiles();
    }

    private void deleteOwnFiles() {
        if (ownsWorkDirectory && !config.keepFiles()) {
            TempFiles.deleteRecursively(workDirectory);
        }
    }

    /**
     * Settings for one {@link EmbeddedRedis}. Not thread-safe; {@link #start()} may be called more than once to start
     * several servers with the same settings (each on its own port unless {@link #port(int)} was set).
     */
    public static final class Builder {

        private RedisBinary binary;
        private int port;
        private int preferredPort;
        private Path workDirectory;
        private Path logDirectory;
        private String name = DEFAULT_NAME;
        private String notifyKeyspaceEvents;
        private String password;
        private final List<ServerConfig.User> users = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private Duration startTimeout = DEFAULT_START_TIMEOUT;
        private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
        private boolean keepFiles;
        private boolean killOnJvmExit = true;

        private Builder() {
        }

        /** The binary to run; default {@link RedisBinary#locate()}. */
        public Builder binary(RedisBinary binary) {
            this.binary = Objects.requireNonNull(binary, "binary");
            return this;
        }

        /** Exactly this port ({@code --port}); 0 (the default) picks a free one. Start fails if it is taken. */
        public Builder port(int port) {
            this.port = checkPort(port);
            return this;
        }

        /** Try this port first and fall back to a free one if it is taken; ignored when {@link #port(int)} is set. */
        public Builder preferredPort(int preferredPort) {
            this.preferredPort = checkPort(preferredPort);
            return this;
        }

        /**
         * The working directory ({@code --dir}, created if missing, never deleted); default a new temporary one,
         * {@code <java.io.tmpdir>/ktl4j-<pid>-<random>/redis-<random>}, deleted by {@link #close()} or at JVM exit.
         */
        public Builder workDirectory(Path workDirectory) {
            this.workDirectory = Objects.requireNonNull(workDirectory, "workDirectory");
            return this;
        }

        /** Where {@code <name>-<port>.log} goes (created if missing); default the working directory. */
        public Builder logDirectory(Path logDirectory) {
            this.logDirectory = Objects.requireNonNull(logDirectory, "logDirectory");
            return this;
        }

        /** The log file's base name, e.g. a test class name; default {@value EmbeddedRedis#DEFAULT_NAME}. */
        public Builder name(String name) {
            if (name.isBlank() || name.contains("/") || name.contains("\\")) {
                throw new IllegalArgumentException("not a usable file name: '" + name + "'");
            }
            this.name = name;
            return this;
        }

        /** {@code --notify-keyspace-events FLAGS}, e.g. {@code "Kh"}; default unset (the server default, none). */
        public Builder notifyKeyspaceEvents(String flags) {
            this.notifyKeyspaceEvents = Objects.requireNonNull(flags, "flags");
            return this;
        }

        /** {@code --requirepass PASSWORD}: the default user needs this password. */
        public Builder password(String password) {
            if (password.isEmpty()) {
                throw new IllegalArgumentException("an empty password means no password; leave it unset");
            }
            this.password = password;
            return this;
        }

        /** {@code --user NAME on >PASSWORD ~* &* +@all}: an ACL user with full access (needs Redis 6.2+). */
        public Builder user(String name, String password) {
            users.add(new ServerConfig.User(Objects.requireNonNull(name, "name"), Objects.requireNonNull(password,
                    "password")));
            return this;
        }

        /** More {@code redis-server} arguments, added last, e.g. {@code "--rename-command", "CONFIG", ""}. */
        public Builder args(String... args) {
            this.args.addAll(Arrays.asList(args));
            return this;
        }

        /** How long to wait for the server to answer PING; default {@link #DEFAULT_START_TIMEOUT}. */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = positive(startTimeout, "startTimeout");
            return this;
        }

        /** How long {@link #stop()} waits for a graceful exit; default {@link #DEFAULT_STOP_TIMEOUT}. */
        public Builder stopTimeout(Duration stopTimeout) {
            this.stopTimeout = positive(stopTimeout, "stopTimeout");
            return this;
        }

        /**
         * Keep the temporary working directory (and the log in it) after {@link #close()} and JVM exit; default false.
         * It is then {@code <java.io.tmpdir>/ktl4j-redis-<random>}, which nothing deletes.
         */
        public Builder keepFiles(boolean keepFiles) {
            this.keepFiles = keepFiles;
            return this;
        }

        /**
         * Whether a JVM exit hook kills the server (and deletes its temporary files) if it is still running; default
         * true. Turn it off when the owner closes the server from its own shutdown hook, in order (JVM hooks run
         * concurrently, so this one could otherwise kill Redis while the owner still uses it); the temporary files
         * of this JVM are then deleted by that close, or by the next JVM's start if the owner never closes it.
         */
        public Builder killOnJvmExit(boolean kill) {
            this.killOnJvmExit = kill;
            return this;
        }

        /**
         * Starts the server and waits until it answers PING.
         *
         * @throws RedisBinaryException if there is no usable binary
         * @throws RedisProcessException if it exits or does not answer in time; the message has the log's tail
         */
        public EmbeddedRedis start() {
            return EmbeddedRedis.start(new ServerConfig(Optional.ofNullable(binary), port, preferredPort,
                    Optional.ofNullable(workDirectory), Optional.ofNullable(logDirectory), name,
                    Optional.ofNullable(notifyKeyspaceEvents), Optional.ofNullable(password), users, args,
                    startTimeout, stopTimeout, keepFiles, killOnJvmExit));
        }

        private static int checkPort(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            return port;
        }

        private static Duration positive(Duration duration, String what) {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + duration);
            }
            return duration;
        }
    }
}
