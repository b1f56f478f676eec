package org.ktl4j.embedded;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedRedisTest {

    private static final Duration SHORT = Duration.ofMillis(200);

    private static Optional<String> ping(EmbeddedRedis redis) {
        return RespPing.send(redis.host(), redis.port(), Duration.ofSeconds(2));
    }

    @Test
    void startedServerAnswersPingOnLoopback() {
        try (EmbeddedRedis redis = EmbeddedRedis.builder().start()) {
            assertEquals(Optional.of("+PONG"), ping(redis));
            assertEquals("redis://127.0.0.1:" + redis.port() + "/0", redis.url());
            assertTrue(redis.isRunning());
            assertTrue(redis.pid() > 0);
        }
    }

    @Test
    void passwordServerRefusesUnauthenticatedCommandsAndPutsThePasswordInTheUrl() {
        try (EmbeddedRedis redis = EmbeddedRedis.builder().password("s3cret pw").start()) {
            assertTrue(ping(redis).orElseThrow().startsWith("-NOAUTH"));
            assertEquals("redis://:s3cret%20pw@127.0.0.1:" + redis.port() + "/0", redis.url());
            assertEquals("s3cret pw", redis.uri().getUserInfo().substring(1));
        }
    }

    @Test
    void takenPreferredPortFallsBackToAFreeOne() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                EmbeddedRedis redis = EmbeddedRedis.builder().preferredPort(taken.getLocalPort()).start()) {
            assertNotEquals(taken.getLocalPort(), redis.port());
            assertEquals(Optional.of("+PONG"), ping(redis));
        }
    }

    @Test
    void takenFixedPortFailsAndSaysSo() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            EmbeddedRedis.Builder builder = EmbeddedRedis.builder().port(taken.getLocalPort());

            RedisProcessException e = assertThrows(RedisProcessException.class, builder::start);

            assertTrue(e.getMessage().contains("port " + taken.getLocalPort() + " on 127.0.0.1 is in use"),
                    e.getMessage());
        }
    }

    @Test
    void serverThatRefusesItsArgumentsFailsWithTheTailOfItsLog() {
        EmbeddedRedis.Builder builder = EmbeddedRedis.builder().args("--no-such-directive", "1");

        RedisProcessException e = assertThrows(RedisProcessException.class, builder::start);

        assertTrue(e.getMessage().contains("no-such-directive"), e.getMessage());
        assertTrue(e.getMessage().contains("exited with status"), e.getMessage());
    }

    @Test
    void killedServerRestartsEmptyOnTheSamePort() {
        try (EmbeddedRedis redis = EmbeddedRedis.builder().start()) {
            int port = redis.port();
            long firstPid = redis.pid();

            redis.kill();
            assertFalse(redis.isRunning());
            assertEquals(Optional.empty(), ping(redis));

            redis.restart();
            assertEquals(port, redis.port());
            assertNotEquals(firstPid, redis.pid());
            assertEquals(Optional.of("+PONG"), ping(redis));
        }
    }

    @Test
    void runningServerCanBeRestartedDirectly() {
        try (EmbeddedRedis redis = EmbeddedRedis.builder().start()) {
            long firstPid = redis.pid();

            redis.restart();

            assertNotEquals(firstPid, redis.pid());
            assertEquals(Optional.of("+PONG"), ping(redis));
        }
    }

    @Test
    void pausedServerDoesNotAnswerUntilResumed() {
        try (EmbeddedRedis redis = EmbeddedRedis.builder().start()) {
            redis.pause();
            assertTrue(redis.isPaused());
            assertEquals(Optional.empty(), RespPing.send(redis.host(), redis.port(), SHORT));

            redis.resume();
            assertFalse(redis.isPaused());
            await().atMost(Duration.ofSeconds(5)).until(() -> ping(redis).equals(Optional.of("+PONG")));
        }
    }

    @Test
    void pausedServerStillStopsOnClose() {
        EmbeddedRedis redis = EmbeddedRedis.builder().start();
        redis.pause();

        redis.close();

        assertFalse(redis.isRunning());
    }

    @Test
    void logIsNamedAfterNameAndPortAndKeptInTheGivenDirectory(@TempDir Path logs) throws IOException {
        Path logFile;
        try (EmbeddedRedis redis = EmbeddedRedis.builder().logDirectory(logs).name("SomeTest").start()) {
            logFile = redis.logFile();
            assertEquals(logs.resolve("SomeTest-" + redis.port() + ".log"), logFile);
        }
        assertTrue(Files.readString(logFile).contains("Ready to accept connections"));
    }

    @Test
    void closeDeletesTheTemporaryDirectoryAndIsIdempotent() {
        EmbeddedRedis redis = EmbeddedRedis.builder().start();
        Path work = redis.workDirectory();
        assertTrue(Files.isDirectory(work));

        redis.close();
        redis.close();

        assertFalse(Files.exists(work));
        assertThrows(IllegalStateException.class, redis::restart);
    }

    @Test
    void workDirectoryAndBundledBinaryShareOneDirectoryNamedAfterThisJvm() {
        assumeTrue(RedisBinary.configured().isEmpty(), "a configured binary is not extracted");
        try (EmbeddedRedis redis = EmbeddedRedis.builder().start()) {
            Path jvmDirectory = redis.workDirectory().getParent();

            assertTrue(jvmDirectory.getFileName().toString().startsWith("ktl4j-" + ProcessHandle.current().pid() + "-"),
                    jvmDirectory.toString());
            assertEquals(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath(),
                    jvmDirectory.getParent().toAbsolutePath());
            assertEquals(jvmDirectory.resolve("bin"), redis.binary().path().getParent());
        }
    }

    @Test
    void keptFilesAreOutsideTheDirectoryDeletedAtExit() {
        EmbeddedRedis redis = EmbeddedRedis.builder().keepFiles(true).start();
        Path work = redis.workDirectory();
        try {
            redis.close();

            assertTrue(Files.isDirectory(work));
            assertTrue(work.getFileName().toString().startsWith("ktl4j-redis-"), work.toString());
            assertEquals(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath(), work.getParent().toAbsolutePath());
        } finally {
            TempFiles.deleteRecursively(work);
        }
    }

    @Test
    void bundledBinaryThatWasDeletedIsExtractedAgain() throws IOException {
        assumeTrue(RedisBinary.configured().isEmpty(), "a configured binary is not extracted");
        RedisBinary before = RedisBinary.bundled();
        Files.delete(before.path());

        try (EmbeddedRedis redis = EmbeddedRedis.builder().binary(before).start()) {
            assertTrue(Files.isExecutable(before.path()), "extracted again to the same place");
            assertEquals(Optional.of("+PONG"), ping(redis));
        }
    }

    @Test
    void serverStartsWithKeyspaceNotificationsAndExtraArguments() throws IOException {
        try (EmbeddedRedis redis = EmbeddedRedis.builder().notifyKeyspaceEvents("Kh")
                .args("--rename-command", "CONFIG", "").start()) {
            String log = Files.readString(redis.logFile());
            assertTrue(log.contains("Ready to accept connections"), log);
            assertEquals(Optional.of("+PONG"), ping(redis));
        }
    }
}
