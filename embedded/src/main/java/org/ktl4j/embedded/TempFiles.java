package org.ktl4j.embedded;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The temporary files of this JVM's embedded servers, and their removal on every way out of the JVM.
 *
 * <p>Everything goes in one directory per JVM, {@code <java.io.tmpdir>/ktl4j-<pid>-<random>} (mode 700, created on
 * first use): {@code bin/} holds the bundled {@code redis-server} (about 9.3 MB, extracted once), and each server that
 * was given no {@linkplain EmbeddedRedis.Builder#workDirectory(Path) working directory} gets {@code redis-<random>/}.
 * It is removed:
 * <ul>
 *   <li>by {@link EmbeddedRedis#close()}: its own {@code redis-*} directory;</li>
 *   <li>by one JVM shutdown hook (normal exit, {@code System.exit}, SIGTERM, SIGINT), which first kills the servers
 *       still running that were built with {@link EmbeddedRedis.Builder#killOnJvmExit(boolean) killOnJvmExit}, then
 *       deletes the whole directory, unless a server is still open whose owner closes it itself
 *       ({@code killOnJvmExit(false)}, the CLI's case);</li>
 *   <li>by the close, while the JVM shuts down, of the last such owner-closed server: the whole directory, since a
 *       shutdown hook that closes its servers and then calls {@link Runtime#halt(int)}, as the CLI does, may end the
 *       JVM before the hook above has run;</li>
 *   <li>after a JVM was killed (SIGKILL, a crash, a halt without close), when the next JVM creates its own directory in
 *       the same {@code java.io.tmpdir}: directories {@code ktl4j-<pid>-*} whose process is gone are deleted then.
 *       This assumes the JVMs sharing a temporary folder also share a pid namespace (not true of containers that
 *       mount the same folder: give those their own {@code java.io.tmpdir}).</li>
 * </ul>
 * The bundled binary was formerly left to the embedded-redis jar, which extracts it to {@code redis-<random>} and relies
 * on {@link java.io.File#deleteOnExit()}: that never runs after {@code halt} or SIGKILL, so each such exit leaked it.
 *
 * <p>Thread-safe: the state is guarded by {@code TempFiles.class}.
 */
final class TempFiles {

    /** The prefix of every directory this class creates in {@code java.io.tmpdir}. */
    static final String PREFIX = "ktl4j-";

    private static final Logger LOG = LoggerFactory.getLogger(TempFiles.class);
    private static final Pattern PER_PROCESS = Pattern.compile(Pattern.quote(PREFIX) + "(\\d{1,18})-.+");
    private static final long PID = ProcessHandle.current().pid();

    private static Path directory; // this JVM's, or null before first use and after removal
    private static boolean hookInstalled;
    private static final Set<Lease> leases = new LinkedHashSet<>();

    private TempFiles() {
    }

    /**
     * One server's claim on this JVM's directory, from the start of {@code start()} to the end of {@code close()}:
     * the directory is not removed at JVM exit while a lease without an exit action is held.
     */
    static final class Lease {
        private volatile Runnable exitAction;
        private boolean released; // guarded by TempFiles.class

        private Lease() {
        }

        /** This JVM's directory, created again if it was removed. */
        Path directory() {
            return TempFiles.directory();
        }

        /**
         * What the shutdown hook does for this server (kill it, delete its files) before it removes the directory;
         * none (the default) means the owner closes the server, and the directory waits for that close.
         */
        void onJvmExit(Runnable action) {
            exitAction = action;
        }

        /**
         * Ends the claim; when the JVM is shutting down and no open server is left for its owner to close, removes
         * this JVM's directory.
         */
        void release() {
            synchronized (TempFiles.class) {
                if (released) {
                    return;
                }
                released = true;
                leases.remove(this);
                if (noOwnerManagedLease() && jvmIsShuttingDown()) {
                    removeDirectory();
                }
            }
        }
    }

    /** A new lease; creates this JVM's directory (removing those of gone processes) on first use. */
    static Lease lease() {
        synchronized (TempFiles.class) {
            directory();
            Lease lease = new Lease();
            leases.add(lease);
            return lease;
        }
    }

    /** This JVM's directory, created on first use and again if it was removed. */
    static synchronized Path directory() {
        if (directory != null && Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            return directory;
        }
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try {
            directory = Files.createTempDirectory(tmp, PREFIX + PID + "-"); // mode 700 on POSIX
        } catch (IOException e) {
            throw new RedisProcessException("cannot create a temporary directory in " + tmp + ": " + e, e);
        }
        installHook();
        removeStale(tmp, directory);
        return directory;
    }

    /**
     * Deletes the entries {@code ktl4j-<pid>-*} of {@code tmp} other than {@code keep} whose process is gone (an entry
     * with this JVM's pid is from an earlier process that had the same pid), and owned by the owner of {@code keep}.
     *
     * @return the entries deleted
     */
    static List<Path> removeStale(Path tmp, Path keep) {
        List<Path> removed = new ArrayList<>();
        Optional<UserPrincipal> us = owner(keep);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp, PREFIX + "*")) {
            for (Path entry : entries) {
                Matcher matcher = PER_PROCESS.matcher(entry.getFileName().toString());
                if (entry.equals(keep) || !matcher.matches()
                        || !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)
                        || us.isEmpty() || !us.equals(owner(entry))) {
                    continue;
                }
                long pid = Long.parseLong(matcher.group(1));
                boolean alive = pid != PID && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
                if (!alive && deleteRecursively(entry)) {
                    removed.add(entry);
                    LOG.info("deleted {}, left by process {} which is gone", entry, pid);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not look for stale directories in {}: {}", tmp, e.toString());
        }
        return removed;
    }

    /**
     * Deletes {@code path} and everything under it, without following links; what has already gone (another thread or
     * process deleting the same files) counts as deleted.
     *
     * @return false, after logging a warning, if something could not be deleted
     */
    static boolean deleteRecursively(Path path) {
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null && !(e instanceof NoSuchFileException)) {
                        throw e;
                    }
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
            return true;
        } catch (NoSuchFileException gone) {
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not delete {}: {}", path, e.toString());
            return false;
        }
    }

    /** Whether the JVM's shutdown has begun (hooks are running): then no hook can be added. */
    static boolean jvmIsShuttingDown() {
        Thread probe = new Thread(() -> { }, "ktl4j-shutdown-probe");
        try {
            Runtime.getRuntime().addShutdownHook(probe);
        } catch (IllegalStateException shuttingDown) {
            return true;
        }
        Runtime.getRuntime().removeShutdownHook(probe);
        return false;
    }

    private static void installHook() {
        if (hookInstalled) {
            return;
        }
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(TempFiles::onJvmExit, "ktl4j-embedded-exit"));
            hookInstalled = true;
        } catch (IllegalStateException shuttingDown) {
            // created from a shutdown hook: the last release() removes the directory
        }
    }

    private static void onJvmExit() {
        List<Lease> snapshot;
        synchronized (TempFiles.class) {
            snapshot = new ArrayList<>(leases);
        }
        for (Lease lease : snapshot) {
            Runnable action = lease.exitAction;
            if (action != null) {
                try {
                    action.run();
                } catch (RuntimeException | Error e) {
                    LOG.warn("embedded redis-server exit action failed: {}", e.toString());
                }
            }
        }
        synchronized (TempFiles.class) {
            if (noOwnerManagedLease()) {
                removeDirectory();
            } // else the release() of the last one removes it
        }
    }

    /** Whether no open server waits for its owner to close it (killed ones that were never closed do not count). */
    private static boolean noOwnerManagedLease() { // callers hold TempFiles.class
        return leases.stream().allMatch(lease -> lease.exitAction != null);
    }

    private static void removeDirectory() { // callers hold TempFiles.class
        if (directory != null) {
            deleteRecursively(directory);
            directory = null;
        }
    }

    private static Optional<UserPrincipal> owner(Path path) {
        try {
            return Optional.of(Files.getOwner(path, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }
}
