package org.ktl4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs sample classes through the JUnit launcher (they are inner classes, which surefire does not run itself) to see
 * what the extension does across classes.
 */
class SeparateServersTest {

    private static final Map<String, RedisServer> SEEN = new ConcurrentHashMap<>();

    @ExtendWith(RedisExtension.class)
    static class FirstSample {
        @Test
        void recordServer(RedisServer redis) {
            SEEN.put("first", redis);
        }
    }

    @ExtendWith(RedisExtension.class)
    static class SecondSample {
        @Test
        void recordServer(RedisServer redis) {
            SEEN.put("second", redis);
        }
    }

    @ExtendWith(RedisExtension.class)
    static class FailingSample {
        @Test
        void fails(RedisServer redis) {
            SEEN.put("failing", redis);
            throw new AssertionError("deliberate failure");
        }
    }

    private static TestExecutionSummary run(Class<?>... classes) {
        LauncherDiscoveryRequestBuilder builder = LauncherDiscoveryRequestBuilder.request();
        for (Class<?> testClass : classes) {
            builder.selectors(selectClass(testClass));
        }
        LauncherDiscoveryRequest request = builder.build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request, listener);
        return listener.getSummary();
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
            return socket.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void eachClassGetsItsOwnServerWhichIsStoppedAfterTheClass() {
        assumeFalse(ServerSource.get() instanceof ServerSource.External, "an external server is shared by all classes");
        TestExecutionSummary summary = run(FirstSample.class, SecondSample.class);

        assertEquals(2, summary.getTestsSucceededCount(), summary.getFailures().toString());
        int first = SEEN.get("first").port();
        int second = SEEN.get("second").port();
        assertNotEquals(first, second);
        assertTrue(!accepts(first) && !accepts(second), "servers still listening after their classes ended");
    }

    @Test
    void failedTestPrintsTheServerLog() {
        assumeTrue(ServerSource.get() instanceof ServerSource.LocalBinary, "only servers the harness runs have a log");
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        TestExecutionSummary summary;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            summary = run(FailingSample.class);
        } finally {
            System.setOut(original);
        }

        assertEquals(1, summary.getTestsFailedCount());
        Path log = SEEN.get("failing").logFile().orElseThrow();
        assertEquals("SeparateServersTest.FailingSample-" + SEEN.get("failing").port() + ".log",
                log.getFileName().toString());
        assertTrue(captured.toString(StandardCharsets.UTF_8).contains("redis-server log for failed fails(RedisServer): "
                + log), captured.toString(StandardCharsets.UTF_8));
    }
}
