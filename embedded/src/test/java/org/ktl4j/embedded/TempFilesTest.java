package org.ktl4j.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TempFilesTest {

    private static long pidOfAProcessThatHasExited() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("true").start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        long pid = process.pid();
        assumeFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " reused already");
        return pid;
    }

    private static Path directoryWithAFile(Path parent, String name) throws IOException {
        Path directory = Files.createDirectories(parent.resolve(name).resolve("bin"));
        Files.writeString(directory.resolve("redis-server"), "binary");
        return directory.getParent();
    }

    @Test
    void directoriesOfGoneProcessesAreDeletedAndOnlyThose(@TempDir Path tmp, @TempDir Path elsewhere)
            throws IOException, InterruptedException {
        long gone = pidOfAProcessThatHasExited();
        long self = ProcessHandle.current().pid();
        long alive = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        assumeTrue(alive > 0, "no parent process");
        Path ours = directoryWithAFile(tmp, "ktl4j-" + self + "-1");
        Path ofGone = directoryWithAFile(tmp, "ktl4j-" + gone + "-2");
        Path ofEarlierProcessWithOurPid = directoryWithAFile(tmp, "ktl4j-" + self + "-3");
        Path ofLive = directoryWithAFile(tmp, "ktl4j-" + alive + "-4");
        Path kept = directoryWithAFile(tmp, "ktl4j-redis-5"); // keepFiles(true): not per process
        Path file = Files.writeString(tmp.resolve("ktl4j-" + gone + "-6"), "not a directory");
        Path target = directoryWithAFile(elsewhere, "target");
        Path link = Files.createSymbolicLink(tmp.resolve("ktl4j-" + gone + "-7"), target);

        List<Path> removed = TempFiles.removeStale(tmp, ours);

        assertEquals(List.of(ofEarlierProcessWithOurPid, ofGone).stream().sorted().toList(),
                removed.stream().sorted().toList());
        assertFalse(Files.exists(ofGone));
        assertFalse(Files.exists(ofEarlierProcessWithOurPid));
        assertTrue(Files.exists(ours.resolve("bin/redis-server")));
        assertTrue(Files.exists(ofLive.resolve("bin/redis-server")));
        assertTrue(Files.exists(kept.resolve("bin/redis-server")));
        assertTrue(Files.isRegularFile(file));
        assertTrue(Files.isSymbolicLink(link), "links are not followed, nor deleted");
        assertTrue(Files.exists(target.resolve("bin/redis-server")));
    }

    @Test
    void deletingWhatIsAlreadyGoneSucceeds(@TempDir Path tmp) throws IOException {
        Path directory = directoryWithAFile(tmp, "x");

        assertTrue(TempFiles.deleteRecursively(directory));
        assertTrue(TempFiles.deleteRecursively(directory));
        assertFalse(Files.exists(directory));
    }

    @Test
    void jvmIsNotShuttingDownDuringATest() {
        assertFalse(TempFiles.jvmIsShuttingDown());
    }
}
