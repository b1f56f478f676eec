package org.ktl4j.embedded;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link ExitCleanupChild} in its own JVM, with a private {@code java.io.tmpdir}, ends it the ways a real process
 * ends (SIGTERM, SIGINT, normal exit, SIGKILL), and checks what it leaves in that folder: nothing named
 * {@code ktl4j-*} (this module's directories) or {@code redis-*} (where the embedded-redis jar would extract its binary),
 * and no redis-server still running.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "POSIX signals")
class ExitCleanupTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60); // a JVM start on a busy 2-core machine

    @TempDir
    Path tmp;
    @TempDir
    Path outputs;

    private final List<Child> started = new ArrayList<>();

    /** A failed test must not leave a child JVM, or the redis-server it started, running. */
    @AfterEach
    void endChildren() {
        for (Child child : started) {
            child.process().destroyForcibly();
            ProcessHandle.of(child.redisPid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** A child JVM and what it printed: {@code READY <jvm pid> <redis pid> <work directory>}. */
    private record Child(Process process, Path output, long redisPid, Path workDirectory) {
        long pid() {
            return process.pid();
        }
    }

    @Test
    void sigtermLeavesNothingInTheTemporaryFolder() throws IOException {
        Child child = start("wait");
        assertEquals(List.of(child.workDirectory().getParent()), leftovers(),
                "while it runs: one directory for this JVM, holding the binary and the work directory");

        child.process().destroy(); // SIGTERM

        awaitEnd(child);
        assertEquals(List.of(), leftovers());
    }

    @Test
    void sigintLeavesNothingInTheTemporaryFolder() throws IOException {
        Child child = start("wait");

        ProcessSignals.send(child.pid(), "INT");

        awaitEnd(child);
        assertEquals(List.of(), leftovers());
    }

    @Test
    void ownerHookThatClosesThenHaltsLeavesNothingInTheTemporaryFolder() throws IOException {
        // the CLI's way (ktl demo --keep, ktl dispatcher --redis embedded), which leaked the 9.3 MB binary
        Child child = start("owner-hook");

        child.process().destroy(); // SIGTERM

        awaitEnd(child);
        assertEquals(0, child.process().exitValue(), "the owner's hook ran to its halt(0)");
        assertEquals(List.of(), leftovers());
    }

    @Test
    void normalExitWithTheServerStillRunningLeavesNothingInTheTemporaryFolder() throws IOException {
        Child child = start("return");

        awaitEnd(child);
        assertEquals(0, child.process().exitValue());
        assertEquals(List.of(), leftovers());
    }

    @Test
    void directoryOfAKilledJvmIsDeletedByTheNextOneToStartAServer() throws IOException {
        Child killed = start("wait");

        killed.process().destroyForcibly(); // SIGKILL: no hook runs
        await().atMost(PATIENCE).until(() -> !killed.process().isAlive());
        // redis-server outlives a SIGKILLed JVM (the JDK cannot ask the kernel to end children with their parent)
        ProcessHandle.of(killed.redisPid()).ifPresent(ProcessHandle::destroyForcibly);
        Path left = killed.workDirectory().getParent();
        assertEquals(List.of(left), leftovers(), "SIGKILL leaves the JVM's directory");
        assertTrue(left.getFileName().toString().startsWith("ktl4j-" + killed.pid() + "-"), left.toString());

        Child next = start("return");

        awaitEnd(next);
        assertEquals(List.of(), leftovers());
        assertTrue(Files.readString(next.output()).contains("left by process " + killed.pid() + " which is gone"),
                "the next JVM says what it deleted");
    }

    private Child start(String mode) throws IOException {
        Path output = outputs.resolve(mode + "-" + System.nanoTime() + ".out");
        Process process = new ProcessBuilder(javaExecutable(), "-Xmx64m",
                "-Djava.io.tmpdir=" + tmp, "-cp", classPath(), ExitCleanupChild.class.getName(), mode)
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(output.toFile()))
                .redirectInput(Redirect.from(new File("/dev/null")))
                .start();
        String[] ready;
        try {
            ready = await().atMost(PATIENCE).until(() -> readyLine(output), Optional::isPresent).orElseThrow();
        } catch (RuntimeException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("the child JVM did not get ready; its output:\n" + Files.readString(output), e);
        }
        Child child = new Child(process, output, Long.parseLong(ready[2]), Path.of(ready[3]));
        started.add(child);
        assertEquals(process.pid(), Long.parseLong(ready[1]));
        return child;
    }

    private static void awaitEnd(Child child) {
        await().atMost(PATIENCE).until(() -> !child.process().isAlive());
        await().atMost(PATIENCE).until(() -> ProcessHandle.of(child.redisPid()).map(p -> !p.isAlive()).orElse(true));
        assertFalse(ProcessHandle.of(child.redisPid()).map(ProcessHandle::isAlive).orElse(false));
    }

    private static Optional<String[]> readyLine(Path output) throws IOException {
        try (Stream<String> lines = Files.lines(output, StandardCharsets.UTF_8)) {
            return lines.filter(line -> line.startsWith("READY ")).findFirst().map(line -> line.split(" ", 4));
        }
    }

    /** The entries of the child's java.io.tmpdir that this module (or embedded-redis's own extraction) would make. */
    private List<Path> leftovers() throws IOException {
        try (Stream<Path> entries = Files.list(tmp)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("ktl4j-")
                    || p.getFileName().toString().startsWith("redis-")).sorted().toList();
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The test class path; under surefire, java.class.path may be a manifest-only booter jar, which also works. */
    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path", "");
        return surefire.isBlank() ? System.getProperty("java.class.path") : surefire;
    }
}
