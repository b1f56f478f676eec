package org.ktl4j.embedded;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import redis.embedded.core.ExecutableProvider;
import redis.embedded.model.OsArchitecture;

/**
 * A {@code redis-server} executable that has answered {@code --version}: its path, its version and where it came from.
 *
 * <p>Lookup order of {@link #locate()}: the system property {@value #SYSTEM_PROPERTY}, then the environment variable
 * {@value #ENVIRONMENT_VARIABLE}, then the binary bundled in the embedded-redis jar. The {@code PATH} is never searched, so
 * the result does not depend on what happens to be installed on the machine. A configured path that is unusable is an
 * error, not a reason to fall back to the bundled binary.
 *
 * <p>Instances are immutable and thread-safe. Creating one runs {@code redis-server --version} (a few milliseconds); the
 * bundled binary is extracted to a temporary directory once per JVM and deleted when the JVM exits (see
 * {@link #bundled()}).
 */
public final class RedisBinary {

    /** Environment variable naming a {@code redis-server} executable to use instead of the bundled one. */
    public static final String ENVIRONMENT_VARIABLE = "KTL_REDIS_SERVER";
    /** System property naming a {@code redis-server} executable; wins over {@value #ENVIRONMENT_VARIABLE}. */
    public static final String SYSTEM_PROPERTY = "ktl.redis.server";

    private static final Pattern VERSION = Pattern.compile("v=(\\S+)");
    private static final long VERSION_TIMEOUT_SECONDS = 10;
    private static final String HOW_TO_PROVIDE = "set " + ENVIRONMENT_VARIABLE + "=/path/to/redis-server (or -D"
            + SYSTEM_PROPERTY + "=/path/to/redis-server), Redis 6.2 or newer";

    private static RedisBinary bundled; // guarded by RedisBinary.class

    /** Where a binary came from. */
    public enum Source {
        /** The system property {@value RedisBinary#SYSTEM_PROPERTY}. */
        SYSTEM_PROPERTY("-D" + RedisBinary.SYSTEM_PROPERTY),
        /** The environment variable {@value RedisBinary#ENVIRONMENT_VARIABLE}. */
        ENVIRONMENT(RedisBinary.ENVIRONMENT_VARIABLE),
        /** The binary bundled in the embedded-redis jar, extracted to a temporary directory. */
        EMBEDDED_JAR("embedded-redis jar"),
        /** A path given to {@link RedisBinary#of(Path)}. */
        EXPLICIT("explicit path"),
        /** Found on the {@code PATH} by {@link RedisBinary#onPath(String)}. */
        PATH("PATH");

        private final String label;

        Source(String label) {
            this.label = label;
        }

        /** A short human-readable label, e.g. {@code "embedded-redis jar"}. */
        public String label() {
            return label;
        }
    }

    private final Path path;
    private final String version;
    private final Source source;

    private RedisBinary(Path path, String version, Source source) {
        this.path = path;
        this.version = version;
        this.source = source;
    }

    /**
     * The configured binary if one is configured, else the bundled one.
     *
     * @throws RedisBinaryException if the configured binary is unusable, or none is configured and the bundled one does
     *     not exist or does not run on this OS/architecture; the message says how to provide one
     */
    public static RedisBinary locate() {
        Optional<RedisBinary> configured = configured();
        return configured.isPresent() ? configured.get() : bundled();
    }

    /**
     * The binary named by {@value #SYSTEM_PROPERTY} or {@value #ENVIRONMENT_VARIABLE}, or empty if neither is set.
     *
     * @throws RedisBinaryException if one is set but does not name a working {@code redis-server}
     */
    public static Optional<RedisBinary> configured() {
        String property = System.getProperty(SYSTEM_PROPERTY, "").trim();
        if (!property.isEmpty()) {
            return Optional.of(inspect(Path.of(property), Source.SYSTEM_PROPERTY));
        }
        String variable = Optional.ofNullable(System.getenv(ENVIRONMENT_VARIABLE)).orElse("").trim();
        if (!variable.isEmpty()) {
            return Optional.of(inspect(Path.of(variable), Source.ENVIRONMENT));
        }
        return Optional.empty();
    }

    /**
     * The binary bundled in the embedded-redis jar for this OS/architecture, extracted once per JVM to
     * {@code <java.io.tmpdir>/ktl4j-<pid>-<random>/bin/} (extracted again if that file was removed), which is deleted
     * when the JVM exits, even by SIGTERM or SIGINT; after a SIGKILL, the next JVM to extract it deletes it.
     *
     * @throws RedisBinaryException if there is none for this platform or it does not run here (e.g. missing libssl)
     */
    public static synchronized RedisBinary bundled() {
        if (bundled == null || !Files.isExecutable(bundled.path)) {
            bundled = inspect(extractBundled(), Source.EMBEDDED_JAR);
        }
        return bundled;
    }

    /** This binary, or the bundled one extracted again if this is the bundled one and its file has been removed. */
    RedisBinary present() {
        return source == Source.EMBEDDED_JAR && !Files.isExecutable(path) ? bundled() : this;
    }

    /*
     * The embedded-redis jar's own extraction (ExecutableProvider.newJarResourceProvider()) writes to a temporary
     * directory of its own and relies on File.deleteOnExit(), which never runs after Runtime.halt() (the CLI halts at the
     * end of its shutdown hook) or SIGKILL: 9.3 MB left in the temporary folder per run. So only its table of resources
     * is used, and the copy goes to a directory TempFiles removes.
     */
    private static Path extractBundled() {
        String resource;
        try {
            resource = ExecutableProvider.newProvidedVersionsMap().get(OsArchitecture.detectOSandArchitecture());
        } catch (RuntimeException e) {
            throw new RedisBinaryException("the embedded-redis jar has no redis-server for " + platform() + " (" + e
                    + "); " + HOW_TO_PROVIDE, e);
        }
        if (resource == null) {
            throw new RedisBinaryException("the embedded-redis jar has no redis-server for " + platform() + "; "
                    + HOW_TO_PROVIDE);
        }
        Path target = null;
        try (InputStream in = ExecutableProvider.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new RedisBinaryException("the embedded-redis jar has no resource " + resource + " for "
                        + platform() + "; " + HOW_TO_PROVIDE);
            }
            Path bin = Files.createDirectories(TempFiles.directory().resolve("bin"));
            target = bin.resolve(resource.substring(resource.lastIndexOf('/') + 1));
            Path partial = Files.createTempFile(bin, "extracting-", ".part");
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            if (!partial.toFile().setExecutable(true, true)) {
                throw new IOException("cannot make " + partial + " executable");
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new RedisBinaryException("cannot extract the bundled redis-server" + (target == null ? "" : " to "
                    + target) + ": " + e + "; " + HOW_TO_PROVIDE, e);
        }
    }

    private static String platform() {
        return System.getProperty("os.name") + "/" + System.getProperty("os.arch");
    }

    /**
     * The first {@code redis-server} on the {@code PATH} whose version is at least {@code minimumVersion}, or empty if
     * there is none. {@link #locate()} never searches the {@code PATH}; this is for callers that need a newer server
     * than the located one (tests of Redis 7 features while the bundled binary is 6.2). Runs {@code --version} on each
     * candidate; candidates that do not run are skipped.
     */
    public static Optional<RedisBinary> onPath(String minimumVersion) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String directory : path.split(File.pathSeparator)) {
            if (directory.isBlank()) {
                continue;
            }
            Path candidate = Path.of(directory, "redis-server");
            if (!Files.isRegularFile(candidate) || !Files.isExecutable(candidate)) {
                continue;
            }
            try {
                RedisBinary binary = inspect(candidate, Source.PATH);
                if (compareVersions(binary.version(), minimumVersion) >= 0) {
                    return Optional.of(binary);
                }
            } catch (RedisBinaryException unusable) {
                // not a working redis-server: try the next one
            }
        }
        return Optional.empty();
    }

    /**
     * Compares dotted version numbers numerically, e.g. {@code compareVersions("6.2.11", "7.0") < 0}; missing parts
     * count as 0 and a non-numeric part (e.g. {@code "rc1"}) as 0.
     */
    public static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Integer.compare(part(x, i), part(y, i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static int part(String[] parts, int i) {
        if (i >= parts.length) {
            return 0;
        }
        try {
            return Integer.parseInt(parts[i]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * The binary at {@code path}.
     *
     * @throws RedisBinaryException if it does not exist, is not executable or does not answer {@code --version}
     */
    public static RedisBinary of(Path path) {
        return inspect(path, Source.EXPLICIT);
    }

    private static RedisBinary inspect(Path path, Source source) {
        Path absolute = path.toAbsolutePath();
        if (!Files.isRegularFile(absolute) || !Files.isExecutable(absolute)) {
            throw new RedisBinaryException("redis-server from " + source.label() + " is not an executable file: "
                    + absolute + "; " + HOW_TO_PROVIDE);
        }
        String output = versionOutput(absolute, source);
        Matcher matcher = VERSION.matcher(output);
        if (!matcher.find()) {
            throw new RedisBinaryException("redis-server from " + source.label() + " (" + absolute
                    + ") did not report a version; output: " + output.strip() + "; " + HOW_TO_PROVIDE);
        }
        return new RedisBinary(absolute, matcher.group(1), source);
    }

    private static String versionOutput(Path binary, Source source) {
        Process process = null;
        try {
            process = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            process.getOutputStream().close();
            // The output is one short line: it fits the pipe buffer, so waiting before reading cannot deadlock.
            if (!process.waitFor(VERSION_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new RedisBinaryException("redis-server from " + source.label() + " (" + binary
                        + ") did not answer --version within " + VERSION_TIMEOUT_SECONDS + " s; " + HOW_TO_PROVIDE);
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new RedisBinaryException("redis-server from " + source.label() + " (" + binary
                        + ") does not run here (exit " + process.exitValue() + "): " + output.strip() + "; "
                        + HOW_TO_PROVIDE);
            }
            return output;
        } catch (IOException e) {
            throw new RedisBinaryException("cannot run redis-server from " + source.label() + " (" + binary + "): "
                    + e.getMessage() + "; " + HOW_TO_PROVIDE, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisBinaryException("interrupted while asking " + binary + " for its version", e);
        } finally {
            if (process != null) {
                process.destroyForcibly();
            }
        }
    }

    /** The absolute path of the executable. */
    public Path path() {
        return path;
    }

    /** The version it reports, e.g. {@code "6.2.11"}. */
    public String version() {
        return version;
    }

    /** Where it came from. */
    public Source source() {
        return source;
    }

    /**
     * E.g. {@code "redis-server 6.2.6 from embedded-redis jar (/tmp/ktl4j-4242-123/bin/redis-server-6.2.6-v5-linux-amd64)"}.
     */
    @Override
    public String toString() {
        return "redis-server " + version + " from " + source.label() + " (" + path + ")";
    }
}
