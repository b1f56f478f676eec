package org.ktl4j.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisBinaryTest {

    @Test
    void bundledBinaryIsExtractedOnceAndReportsItsVersion() {
        RedisBinary binary = RedisBinary.bundled();

        assertSame(binary, RedisBinary.bundled());
        assertEquals(RedisBinary.Source.EMBEDDED_JAR, binary.source());
        assertTrue(Files.isExecutable(binary.path()), binary.toString());
        assertTrue(binary.version().matches("\\d+\\.\\d+\\.\\d+"), binary.version());
        assertTrue(binary.toString().startsWith("redis-server " + binary.version() + " from embedded-redis jar ("),
                binary.toString());
    }

    @Test
    void versionsCompareNumericallyPartByPart() {
        assertTrue(RedisBinary.compareVersions("6.2.11", "7.0") < 0);
        assertTrue(RedisBinary.compareVersions("7.0.15", "7.0") > 0);
        assertEquals(0, RedisBinary.compareVersions("7.0.0", "7.0"));
        assertTrue(RedisBinary.compareVersions("7.10", "7.2") > 0);
    }

    @Test
    void explicitPathToARealBinaryIsAccepted() {
        RedisBinary binary = RedisBinary.of(RedisBinary.bundled().path());

        assertEquals(RedisBinary.Source.EXPLICIT, binary.source());
        assertEquals(RedisBinary.bundled().version(), binary.version());
    }

    @Test
    void fileThatIsNotExecutableIsRefusedWithHowToProvideOne(@TempDir Path dir) throws IOException {
        Path notABinary = Files.writeString(dir.resolve("redis-server"), "hello");

        RedisBinaryException e = assertThrows(RedisBinaryException.class, () -> RedisBinary.of(notABinary));

        assertTrue(e.getMessage().contains(notABinary.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("KTL_REDIS_SERVER"), e.getMessage());
    }

    @Test
    void executableThatIsNotRedisIsRefused(@TempDir Path dir) throws IOException {
        Path script = Files.writeString(dir.resolve("fake-redis"), "#!/bin/sh\necho not redis\n");
        assertTrue(script.toFile().setExecutable(true));

        RedisBinaryException e = assertThrows(RedisBinaryException.class, () -> RedisBinary.of(script));

        assertTrue(e.getMessage().contains("did not report a version"), e.getMessage());
    }
}
