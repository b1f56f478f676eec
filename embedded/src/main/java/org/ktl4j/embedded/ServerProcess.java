package org.ktl4j.embedded;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Launches {@code redis-server} processes and waits until they answer PING: the one place that knows how a start can
 * fail (port taken, server exits, no answer in time). Stateless apart from the returned values.
 *
 * @param process the running server
 * @param port its port
 * @param logFile where its stdout and stderr are appended
 */
record ServerProcess(Process process, int port, Path logFile) {

    private static final Duration PING_TIMEOUT = Duration.ofMillis(500);
    private static final long POLL_MILLIS = 20;

    /** Starts on the first of {@code ports} that is free; a port taken between our check and the server's bind is skipped. */
    static ServerProcess startOnFirstFreePort(RedisBinary binary, ServerConfig config, Path work, List<Integer> ports) {
        for (int port : ports) {
            Path log = logFile(config, work, port);
            boolean newLog = !Files.exists(log);
            Optional<Process> process = launch(binary, config, work, port, log);
            if (process.isPresent()) {
                return new ServerProcess(process.get(), port, log);
            }
            if (newLog) {
                deleteQuietly(log); // only says "Address already in use"; keep target/ free of logs of ports never used
            }
        }
        throw new RedisProcessException(ports.size() == 1
                ? "port " + ports.get(0) + " on " + LoopbackPorts.HOST + " is in use"
                : "no free port on " + LoopbackPorts.HOST + " after trying " + ports);
    }

    /** Starts on {@code port} again, retrying while it is still held (e.g. the old process has not released it yet). */
    static Process restart(RedisBinary binary, ServerConfig config, Path work, int port, Path log) {
        long deadline = System.nanoTime() + config.startTimeout().toNanos();
        while (true) {
            Optional<Process> process = launch(binary, config, work, port, log);
            if (process.isPresent()) {
                return process.get();
            }
            if (System.nanoTime() > deadline) {
                throw new RedisProcessException("cannot restart redis-server: port " + port + " on "
                        + LoopbackPorts.HOST + " still in use after " + config.startTimeout().toMillis() + " ms; "
                        + ServerLog.tail(log));
            }
            pause(POLL_MILLIS);
        }
    }

    /** Waits for {@code process} to exit; false if it is still running after {@code timeout}. */
    static boolean awaitExit(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** The running process, or empty if the port was taken; throws for any other failure. */
    private static Optional<Process> launch(RedisBinary binary, ServerConfig config, Path work, int port, Path log) {
        // Someone else's server on this port would answer our PING, so only launch on a port nobody listens on.
        if (!LoopbackPorts.isFree(port)) {
            return Optional.empty();
        }
        long logOffset = sizeOf(log);
        Process process;
        try {
            process = new ProcessBuilder(config.command(binary, port, work))
                    .directory(work.toFile())
                    .redirectInput(Redirect.from(nullDevice()))
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new RedisProcessException("cannot run " + binary + ": " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + config.startTimeout().toNanos();
        while (true) {
            if (!process.isAlive()) {
                if (ServerLog.saysPortInUse(log, logOffset)) {
                    return Optional.empty();
                }
                throw new RedisProcessException("redis-server exited with status " + process.exitValue()
                        + " while starting on port " + port + "; " + ServerLog.tail(log));
            }
            Optional<String> reply = RespPing.send(LoopbackPorts.HOST, port, PING_TIMEOUT);
            if (reply.isPresent() && RespPing.isReady(reply.get())) {
                return Optional.of(process);
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new RedisProcessException("redis-server on port " + port + " did not answer PING within "
                        + config.startTimeout().toMillis() + " ms (last reply: " + reply.orElse("none") + "); "
                        + ServerLog.tail(log));
            }
            try {
                process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS); // doubles as the poll delay and the exit check
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new RedisProcessException("interrupted while starting redis-server on port " + port, e);
            }
        }
    }

    private static Path logFile(ServerConfig config, Path work, int port) {
        Path directory = config.logDirectory().orElse(work);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new RedisProcessException("cannot create log directory " + directory + ": " + e.getMessage(), e);
        }
        return directory.resolve(config.name() + "-" + port + ".log");
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static long sizeOf(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a stray log is harmless
        }
    }

    private static void pause(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisProcessException("interrupted while waiting for a port to become free", e);
        }
    }
}
